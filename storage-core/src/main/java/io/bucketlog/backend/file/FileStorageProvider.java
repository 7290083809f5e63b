package io.bucketlog.backend.file;

import io.bucketlog.spi.Locations;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.Storage;
import io.bucketlog.spi.StorageProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The file backend's provider: a plain path ({@code /var/log/app}, {@code data}) or a
 * {@code file:} URI. It accepts what has no scheme of its own, so a path is never mistaken for
 * another backend's location.
 */
public final class FileStorageProvider implements StorageProvider {
    /** The scheme of this backend's URIs. */
    public static final String SCHEME = "file";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public boolean accepts(String location) {
        return location.startsWith(SCHEME + ":") || Locations.scheme(location).isEmpty();
    }

    @Override
    public Storage open(String location, boolean create) throws IOException {
        Path dir = location.startsWith(SCHEME + ":") ? Path.of(URI.create(location))
                : Path.of(location);
        return open(dir, create);
    }

    /** Opens the storage in {@code dir}, creating it (and its parents) if asked to. */
    public static FileStorage open(Path dir, boolean create) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (create) {
            Files.createDirectories(abs);
        } else if (!Files.exists(abs)) {
            throw new NoSuchObjectException(abs.toString());
        }
        if (!Files.isDirectory(abs)) {
            throw new NotDirectoryException(abs.toString());
        }
        return new FileStorage(abs);
    }
}

package io.bucketlog.reader;

import io.bucketlog.backend.file.FileStorageProvider;
import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import io.bucketlog.spi.Storage;
import io.bucketlog.spi.StorageProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A store directory opened as {@code counting:<dir>}: the file backend, with every {@code stat}
 * recorded, so that a test can tell which objects a query asked the backend about.
 */
final class CountingStorage implements Storage {
    /** The storages opened so far, by directory. */
    static final Map<Path, CountingStorage> OPENED = new ConcurrentHashMap<>();
    static final String SCHEME = "counting:";

    /** Opens {@code counting:<dir>} locations. */
    public static final class Provider implements StorageProvider {
        @Override
        public boolean accepts(String location) {
            return location.startsWith(SCHEME);
        }

        @Override
        public String scheme() {
            return "counting";
        }

        @Override
        public Storage open(String location, boolean create) throws IOException {
            Path dir = Path.of(location.substring(SCHEME.length())).toAbsolutePath();
            CountingStorage s = new CountingStorage(FileStorageProvider.open(dir, create));
            OPENED.put(dir, s);
            return s;
        }
    }

    private final Storage real;
    /** The names given to {@link #stat}, in call order. */
    final List<String> stats = new CopyOnWriteArrayList<>();

    private CountingStorage(Storage real) {
        this.real = real;
    }

    @Override
    public String location() {
        return real.location();
    }

    @Override
    public String locationOf(String name) {
        return real.locationOf(name);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return real.list(prefix);
    }

    @Override
    public String listingStamp(String prefix) throws IOException {
        return real.listingStamp(prefix);
    }

    @Override
    public Optional<ObjectVersion> stat(String name) throws IOException {
        stats.add(name);
        return real.stat(name);
    }

    @Override
    public Optional<Instant> lastModified(String name) throws IOException {
        return real.lastModified(name);
    }

    @Override
    public Duration publishInterval() {
        return real.publishInterval();
    }

    @Override
    public ReadableObject openRead(String name) throws IOException {
        return real.openRead(name);
    }

    @Override
    public boolean putIfAbsent(String name, byte[] content) throws IOException {
        return real.putIfAbsent(name, content);
    }

    @Override
    public AppendableObject create(String name) throws IOException {
        return real.create(name);
    }

    @Override
    public AppendableObject reopen(String name, long expectedSize) throws IOException {
        return real.reopen(name, expectedSize);
    }

    @Override
    public boolean delete(String name) throws IOException {
        return real.delete(name);
    }

    @Override
    public void close() throws IOException {
        real.close();
    }
}

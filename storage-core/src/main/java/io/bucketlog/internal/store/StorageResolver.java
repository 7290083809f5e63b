package io.bucketlog.internal.store;

import io.bucketlog.backend.file.FileStorageProvider;
import io.bucketlog.spi.Locations;
import io.bucketlog.spi.Storage;
import io.bucketlog.spi.StorageProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Maps a location string to the {@link Storage} of the backend that takes it: the providers on
 * the class path ({@link ServiceLoader}) are asked in turn; a plain path or a {@code file:} URI
 * goes to the file backend; a scheme no provider takes is refused with the list of known ones.
 */
public final class StorageResolver {
    private StorageResolver() {
    }

    /**
     * Opens the storage at {@code location}.
     *
     * @param create whether a missing location may be created
     * @throws IllegalArgumentException if no backend takes the location
     */
    public static Storage open(String location, boolean create) throws IOException {
        return provider(location).open(location, create);
    }

    static StorageProvider provider(String location) {
        List<StorageProvider> providers = providers();
        for (StorageProvider p : providers) { // another backend's scheme first
            if (!(p instanceof FileStorageProvider) && p.accepts(location)) {
                return p;
            }
        }
        for (StorageProvider p : providers) {
            if (p instanceof FileStorageProvider && p.accepts(location)) {
                return p;
            }
        }
        TreeSet<String> known = new TreeSet<>();
        for (StorageProvider p : providers) {
            known.add(p.scheme());
        }
        throw new IllegalArgumentException("no storage backend for the location '" + location
                + "' (scheme " + Locations.scheme(location).orElse("none") + "); known schemes: "
                + String.join(", ", known) + " (a plain path is a local directory)");
    }

    private static List<StorageProvider> providers() {
        List<StorageProvider> out = new ArrayList<>();
        for (StorageProvider p : ServiceLoader.load(StorageProvider.class,
                StorageResolver.class.getClassLoader())) {
            out.add(p);
        }
        boolean hasFile = out.stream().anyMatch(p -> p instanceof FileStorageProvider);
        if (!hasFile) { // a shaded jar that dropped the service file still reads local stores
            out.add(new FileStorageProvider());
        }
        return out;
    }
}

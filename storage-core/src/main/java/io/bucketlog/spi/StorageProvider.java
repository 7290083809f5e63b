package io.bucketlog.spi;

import java.io.IOException;

/**
 * Opens storages for the locations one backend understands; found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.bucketlog.spi.StorageProvider}),
 * so that adding a backend is adding a jar.
 */
public interface StorageProvider {

    /**
     * Whether {@code location} is this backend's, by its form alone ({@code s3://...}); the file
     * backend takes what no other provider takes.
     */
    boolean accepts(String location);

    /**
     * The scheme of this backend's locations ({@code s3}), for the message that lists the known
     * backends when a location's scheme is nobody's.
     */
    default String scheme() {
        return getClass().getName();
    }

    /**
     * Opens the storage at {@code location}.
     *
     * @param create whether a missing location may be created (a new store); when {@code false}
     *        a missing one is an error that says so
     */
    Storage open(String location, boolean create) throws IOException;
}

package io.bucketlog.backend.s3;

import io.bucketlog.spi.Locations;
import io.bucketlog.spi.Storage;
import io.bucketlog.spi.StorageProvider;
import java.io.IOException;

/**
 * The {@link StorageProvider} of {@code s3://bucket/prefix?options} locations; the options are
 * {@link S3Options#fromQuery}'s, credentials come from the SDK's provider chain or a profile.
 */
public final class S3StorageProvider implements StorageProvider {

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public boolean accepts(String location) {
        return location != null && Locations.scheme(location).filter("s3"::equals).isPresent();
    }

    /**
     * Opens it; the bucket must exist either way ({@code create} has nothing to make: a new
     * store is a prefix with nothing under it yet).
     */
    @Override
    public Storage open(String location, boolean create) throws IOException {
        return S3Storage.open(S3Location.parse(location), S3Options.fromQuery(location));
    }
}

package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.spi.ReadableObject;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What the tests read back: an object through a storage, and its parts straight from the server. */
final class StoredBytes {
    private StoredBytes() {
    }

    /** The whole of {@code name} as {@code storage} reads it. */
    static byte[] read(Storage storage, String name) throws IOException {
        try (ReadableObject in = storage.openRead(name)) {
            byte[] all = new byte[(int) in.size()];
            int at = 0;
            while (at < all.length) {
                int n = in.read(at, all, at, all.length - at);
                assertThat(n).isPositive();
                at += n;
            }
            return all;
        }
    }

    /** The part objects of {@code name} under {@code location}, by key, with their sizes. */
    static Map<String, Long> parts(S3ProxyServer server, S3Location location, String name) {
        String prefix = new ObjectLayout(location).allPartsPrefix(name);
        try (S3Client c = server.client()) {
            return c.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(prefix)).contents().stream()
                    .collect(Collectors.toMap(S3Object::key, S3Object::size));
        }
    }

    static long sum(Map<String, Long> parts) {
        return parts.values().stream().mapToLong(Long::longValue).sum();
    }
}

package io.bucketlog.backend.file;

import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import java.nio.file.Path;

/** Creates a store with one stream in {@code args[0]}, under whatever umask it was started with. */
public final class UmaskChild {
    private UmaskChild() {
    }

    public static void main(String[] args) {
        try (Store store = Store.open(Path.of(args[0]))) {
            store.createStream("app", StreamConfig.builder().bucketBytes(1 << 20).build());
        }
    }
}

package io.bucketlog.bench.harness;

import io.bucketlog.Store;
import io.bucketlog.backend.s3.S3Storage;
import io.bucketlog.spi.Storage;

/**
 * The requests a store's S3 backend made (its own counters), reported by a child as
 * {@code PREFIX.puts}, {@code .gets}, {@code .lists}, {@code .deletes}, and the parts its publisher
 * uploaded ({@code .parts}, among the PUTs); zeros for a local store.
 */
final class S3Requests {
    private S3Requests() {
    }

    static void report(Store store, Results results, String prefix) {
        long puts = 0;
        long gets = 0;
        long lists = 0;
        long deletes = 0;
        long parts = 0;
        for (Storage s : store.layout().volumes()) {
            if (s instanceof S3Storage s3) {
                S3Storage.Requests r = s3.requests();
                puts += r.puts();
                gets += r.gets();
                lists += r.lists();
                deletes += r.deletes();
                parts += s3.partsUploaded();
            }
        }
        results.put(prefix + ".puts", puts).put(prefix + ".gets", gets).put(prefix + ".lists", lists)
                .put(prefix + ".deletes", deletes).put(prefix + ".parts", parts);
    }
}

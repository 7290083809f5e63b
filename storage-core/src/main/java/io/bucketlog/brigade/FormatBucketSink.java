package io.bucketlog.brigade;

import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.WriteErrorListener;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.TimeSlices;
import io.bucketlog.internal.format.ZstdCodec;
import io.bucketlog.internal.write.SealedBucketWriter;
import io.bucketlog.spi.AppendableObject;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;

/**
 * The bucket format's sealed-bucket writer, with key-ordered blocks cut into time slices. Where
 * zstd cannot run, a zstd stream's merged buckets are LZ4-compressed, as its writers' are, and the
 * brigade says so once.
 */
final class FormatBucketSink implements MergedBucketSink {
    private static final SecureRandom SEAL_KEYS = new SecureRandom();

    private final WriteErrorListener errors;
    private volatile boolean fallbackReported;

    /** @param errors told once that zstd cannot run here, if a zstd stream is merged */
    FormatBucketSink(WriteErrorListener errors) {
        this.errors = errors;
    }

    @Override
    public IndexEntry.Sealed write(AppendableObject out, Header h, List<Event> records,
                                   TimeSlices slices) throws IOException {
        Compression codec = ZstdCodec.writable(h.codec());
        if (codec != h.codec() && !fallbackReported) {
            fallbackReported = true;
            errors.onError(ZstdCodec.fallbackNotice(h.stream(), "this brigade's merged buckets"),
                    null);
        }
        BucketHeader header = new BucketHeader(codec, h.windowStart(),
                h.widthNanos(), h.sequence(), SEAL_KEYS.nextLong(), h.writerId(), h.stream());
        try (SealedBucketWriter w = SealedBucketWriter.create(out, header, h.blockBytes(), true,
                slices)) {
            for (Event e : records) {
                w.add(e);
            }
            return w.seal(true);
        }
    }
}

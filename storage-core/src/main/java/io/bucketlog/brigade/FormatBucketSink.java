package io.bucketlog.brigade;

import io.bucketlog.Event;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.TimeSlices;
import io.bucketlog.internal.format.ZstdCodec;
import io.bucketlog.internal.write.SealedBucketWriter;
import io.bucketlog.spi.AppendableObject;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;

/** The bucket format's sealed-bucket writer, with key-ordered blocks cut into time slices. */
final class FormatBucketSink implements MergedBucketSink {
    private static final SecureRandom SEAL_KEYS = new SecureRandom();

    @Override
    public IndexEntry.Sealed write(AppendableObject out, Header h, List<Event> records,
                                   TimeSlices slices) throws IOException {
        BucketHeader header = new BucketHeader(ZstdCodec.writable(h.codec()), h.windowStart(),
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

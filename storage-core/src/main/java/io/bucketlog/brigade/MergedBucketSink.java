package io.bucketlog.brigade;

import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.TimeSlices;
import io.bucketlog.spi.AppendableObject;
import java.io.IOException;
import java.util.List;

/**
 * Writes one complete, sealed data bucket from records in the order given, each keeping its own
 * {@link io.bucketlog.EventId}: the one thing the brigade needs from the bucket format.
 */
interface MergedBucketSink {

    /**
     * What the merged bucket's header says.
     *
     * @param windowStart its window
     * @param widthNanos its window's width
     * @param sequence its sequence in the brigade's writer id
     * @param writerId the brigade's writer id
     */
    record Header(String stream, long windowStart, long widthNanos, long sequence, String writerId,
                  Compression codec, int blockBytes) {
    }

    /**
     * Writes header, blocks (records in {@link MergeOrder}, as given, each block within one of
     * {@code slices}), footer and trailer to {@code out}, which is new and empty, and seals it.
     *
     * @return the index's "sealed" entry for it
     */
    IndexEntry.Sealed write(AppendableObject out, Header header, List<Event> records,
                            TimeSlices slices) throws IOException;
}

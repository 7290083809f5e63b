package io.bucketlog.inspect;

import java.util.List;

/**
 * One index window of a stream, over every volume, or the stream's roll-up area (the
 * brigade's buckets wider than an index window, see {@link #rollUpArea()}).
 *
 * @param start its first nanosecond, or {@link #ROLL_UP_AREA}
 * @param indexFiles its index files (writers' index buckets and a compactor's commits)
 * @param indexBytes their total size
 * @param buckets its data buckets, superseded ones included
 */
public record WindowInfo(long start, int indexFiles, long indexBytes, List<BucketInfo> buckets) {
    /** The {@link #start} of the roll-up area, which is no window. */
    public static final long ROLL_UP_AREA = Long.MIN_VALUE;

    public WindowInfo {
        buckets = List.copyOf(buckets);
    }

    /** Whether this is the stream's roll-up area rather than an index window. */
    public boolean rollUpArea() {
        return start == ROLL_UP_AREA;
    }
}

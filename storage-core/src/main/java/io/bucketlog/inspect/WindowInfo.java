package io.bucketlog.inspect;

import java.util.List;

/**
 * One index window of a stream, over every volume.
 *
 * @param start its first nanosecond
 * @param indexFiles its index files (writers' index buckets and a compactor's commits)
 * @param indexBytes their total size
 * @param buckets its data buckets, superseded ones included
 */
public record WindowInfo(long start, int indexFiles, long indexBytes, List<BucketInfo> buckets) {
    public WindowInfo {
        buckets = List.copyOf(buckets);
    }
}

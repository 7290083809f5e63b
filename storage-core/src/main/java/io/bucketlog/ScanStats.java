package io.bucketlog;

/**
 * What a scan touched, to see that pruning and caching worked. A snapshot: it grows as iteration
 * proceeds, since windows, buckets and blocks are read lazily.
 *
 * @param windows index windows visited
 * @param indexFiles index buckets consulted
 * @param indexFilesRead index buckets whose entries had to be read from disk (one served whole
 *     from a reader's cache is not counted; a scan of {@link Store#scan} reads every one)
 * @param indexBytesRead bytes read from index buckets
 * @param bucketsListed data buckets found in the visited windows
 * @param bucketsSkipped data buckets ruled out without opening them: time range, the index's
 *     summary (time range, count, Bloom filter of keys), or replaced by the brigade
 * @param bucketsOpened data buckets opened
 * @param bucketsPrunedAfterOpen opened data buckets none of whose blocks can match (footer's key
 *     table, blocks' time ranges), closed without reading a block
 * @param footersFromCache sealed buckets whose footer came from a cache instead of the disk
 * @param blocksRead blocks read and decoded
 * @param bytesRead bytes read from data buckets (blocks, footers and headers)
 * @param eventsReturned events returned so far
 */
public record ScanStats(long windows, long indexFiles, long indexFilesRead, long indexBytesRead,
                        long bucketsListed, long bucketsSkipped, long bucketsOpened,
                        long bucketsPrunedAfterOpen, long footersFromCache, long blocksRead,
                        long bytesRead, long eventsReturned) {
}

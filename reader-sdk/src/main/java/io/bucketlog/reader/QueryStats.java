package io.bucketlog.reader;

/**
 * What a query touched, so that tests and benchmarks can see that pruning happened. A snapshot:
 * {@link QueryResult#stats()} grows as iteration proceeds, since windows, buckets and blocks are
 * read lazily.
 *
 * @param windows index windows visited
 * @param indexFilesRead index buckets whose new entries were read from disk (a cached, unchanged
 *     index bucket is not counted)
 * @param bucketsListed data buckets found in the visited windows
 * @param bucketsPruned data buckets ruled out without reading any block: time range, Bloom filter,
 *     footer key table, or replaced by the brigade
 * @param bucketsOpened data buckets whose file was opened
 * @param footersFromCache sealed buckets whose footer came from the cache instead of the disk
 * @param blocksRead blocks read and decoded
 * @param bytesRead bytes read from data buckets and index buckets
 * @param eventsReturned events returned so far
 */
public record QueryStats(long windows, long indexFilesRead, long bucketsListed, long bucketsPruned,
                         long bucketsOpened, long footersFromCache, long blocksRead, long bytesRead,
                         long eventsReturned) {
}

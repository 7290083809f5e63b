package io.bucketlog;

/**
 * What a scan touched, to see that pruning worked.
 *
 * @param windows index windows visited
 * @param indexFiles index buckets read
 * @param bucketsSkipped data buckets ruled out without opening them (time range, Bloom filter)
 * @param bucketsOpened data buckets opened
 * @param blocksRead blocks read and decoded
 * @param bytesRead bytes read from data buckets (blocks, footers and headers)
 * @param eventsReturned events returned so far
 */
public record ScanStats(long windows, long indexFiles, long bucketsSkipped, long bucketsOpened,
                        long blocksRead, long bytesRead, long eventsReturned) {
}

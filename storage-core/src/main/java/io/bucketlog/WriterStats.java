package io.bucketlog;

/**
 * A snapshot of a writer's counters since it started.
 *
 * @param appended events accepted into the ring
 * @param dropped events refused because the ring was full or the writer closed, plus events
 *     accepted but still in the ring when the writer closed (also counted in {@code appended})
 * @param rejected events the bucket writer refused: too large, too far in the future, bad key,
 *     unknown stream
 * @param written events handed to the operating system
 * @param failed events lost to a write error (for example a full disk)
 * @param bytesWritten bytes handed to the operating system, data and index
 * @param bucketsOpened data buckets created
 * @param bucketsSealed data buckets sealed
 */
public record WriterStats(
        long appended,
        long dropped,
        long rejected,
        long written,
        long failed,
        long bytesWritten,
        long bucketsOpened,
        long bucketsSealed) {
}

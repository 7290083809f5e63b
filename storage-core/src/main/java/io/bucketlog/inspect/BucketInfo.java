package io.bucketlog.inspect;

/**
 * One data bucket as inspection found it.
 *
 * @param location where it is (a local store's absolute path)
 * @param windowStart the first nanosecond of its window
 * @param bytes its size
 * @param sealed whether it has a valid footer
 * @param events events in its readable blocks
 * @param compressedBytes bytes of its readable blocks
 * @param uncompressedBytes those blocks' payload before compression (blocks whose header does
 *        not decode are counted in {@code damagedBlocks} instead)
 * @param minTimestamp earliest event time of its blocks, {@code Long.MAX_VALUE} if none
 * @param maxTimestamp latest event time of its blocks, {@code Long.MIN_VALUE} if none
 * @param damagedBlocks blocks whose header does not decode
 */
public record BucketInfo(String location, long windowStart, long bytes, boolean sealed, long events,
                         long compressedBytes, long uncompressedBytes, long minTimestamp,
                         long maxTimestamp, int damagedBlocks) {
}

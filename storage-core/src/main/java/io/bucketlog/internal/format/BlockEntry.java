package io.bucketlog.internal.format;

/**
 * Where a block is and what it holds: one row of a footer's block table, or the result of
 * scanning an open bucket's frames.
 *
 * @param offset file offset of the block's frame
 * @param length frame length including its header
 * @param minTimestamp smallest timestamp in the block
 * @param maxTimestamp largest timestamp in the block
 * @param count records in the block
 */
public record BlockEntry(long offset, int length, long minTimestamp, long maxTimestamp, int count) {
    static final int ENCODED_BYTES = 8 + 4 + 8 + 8 + 4;
}

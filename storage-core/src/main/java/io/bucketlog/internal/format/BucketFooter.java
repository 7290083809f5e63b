package io.bucketlog.internal.format;

import io.bucketlog.Names;
import java.util.Arrays;
import java.util.List;

/**
 * The footer a data bucket gets when it seals: what a reader needs to read only the blocks that can
 * match a query.
 *
 * <pre>
 *   varint blockCount, then per block (in file order):
 *            i64 offset, i32 frameLength, i64 minTimestamp, i64 maxTimestamp, i32 count
 *   varint keyCount, then per key in ascending {@link String#compareTo} order:
 *            str key, varint count, i64 minTimestamp, i64 maxTimestamp,
 *            varint blockCount, then that many block numbers, each as the gap from the previous
 *   bloom filter of the keys ({@link BloomFilter})
 *   format 2 only (a merged bucket cut into {@link TimeSlices}):
 *            u8 footerFormat = 2, i64 sliceOrigin, i64 sliceWidth (positive)
 * </pre>
 * Located through the {@link BucketTrailer}; its CRC is in the trailer.
 *
 * <p>Format 1 ends after the Bloom filter, which is how a reader tells the formats apart; a reader
 * of format 1 alone stops there too, so it reads a format-2 footer as one without slices (right,
 * only slower for a scan in time order). In format 2 every block lies within one slice and the
 * blocks are in slice order, which the reader checks: a footer that breaks it is corrupt, and the
 * bucket is read by scanning its blocks.
 *
 * @param blocks the block table
 * @param keys distinct keys, sorted
 * @param keyCounts events per key
 * @param keyMin smallest timestamp per key
 * @param keyMax largest timestamp per key
 * @param keyBlocks per key, the ascending numbers (indexes into {@code blocks}) of its blocks
 * @param bloom Bloom filter of the keys
 * @param slices the time slices of a format-2 footer, or {@code null} (format 1)
 * @param blockSpans not stored, made from {@code blocks} (checked): per block, its minimum then
 *        its maximum timestamp, in one array, so that a key's blocks are narrowed to a time range
 *        by reading consecutive longs instead of each block's entry (a cache miss or two each in a
 *        footer of thousands of blocks)
 */
public record BucketFooter(List<BlockEntry> blocks, String[] keys, long[] keyCounts, long[] keyMin,
                           long[] keyMax, int[][] keyBlocks, BloomFilter bloom, TimeSlices slices,
                           long[] blockSpans) {
    /** The footer format with {@link TimeSlices}; format 1 is the one without. */
    public static final int FORMAT_SLICED = 2;

    /**
     * The largest footer a reader reads: its length comes from the file, so it is checked before
     * anything is allocated. A bucket whose footer would be larger is read by scanning its blocks.
     */
    public static final int MAX_BYTES = 64 * 1024 * 1024;


    public BucketFooter {
        if (blockSpans.length != 2 * blocks.size()) {
            throw new IllegalArgumentException(blockSpans.length + " block spans for "
                    + blocks.size() + " blocks");
        }
        for (int i = 0; i < blocks.size(); i++) {
            if (blockSpans[2 * i] != blocks.get(i).minTimestamp()
                    || blockSpans[2 * i + 1] != blocks.get(i).maxTimestamp()) {
                throw new IllegalArgumentException("block span " + i + " is not its block's");
            }
        }
    }

    /** A footer with the block spans taken from {@code blocks}. */
    public BucketFooter(List<BlockEntry> blocks, String[] keys, long[] keyCounts, long[] keyMin,
                        long[] keyMax, int[][] keyBlocks, BloomFilter bloom, TimeSlices slices) {
        this(blocks, keys, keyCounts, keyMin, keyMax, keyBlocks, bloom, slices, spansOf(blocks));
    }

    private static long[] spansOf(List<BlockEntry> blocks) {
        long[] spans = new long[2 * blocks.size()];
        for (int i = 0; i < blocks.size(); i++) {
            spans[2 * i] = blocks.get(i).minTimestamp();
            spans[2 * i + 1] = blocks.get(i).maxTimestamp();
        }
        return spans;
    }

    /** Index of {@code key} in {@link #keys()}, or a negative number. */
    public int keyIndex(String key) {
        return Arrays.binarySearch(keys, key);
    }

    public long eventCount() {
        long n = 0;
        for (BlockEntry b : blocks) {
            n += b.count();
        }
        return n;
    }

    public static BucketFooter readFrom(ByteSource in, long fileSize) {
        int nBlocks = in.readVarInt(in.remaining() / BlockEntry.ENCODED_BYTES);
        BlockEntry[] blocks = new BlockEntry[nBlocks];
        for (int i = 0; i < nBlocks; i++) {
            long offset = in.readLong();
            int length = in.readInt();
            long min = in.readLong();
            long max = in.readLong();
            int count = in.readInt();
            if (offset < 0 || length < Frame.HEADER_BYTES || offset + length > fileSize
                    || count < 0 || min > max) {
                throw new CorruptDataException("block table entry " + i + " out of range");
            }
            blocks[i] = new BlockEntry(offset, length, min, max, count);
        }
        int nKeys = in.readVarInt(in.remaining());
        String[] keys = new String[nKeys];
        long[] counts = new long[nKeys];
        long[] mins = new long[nKeys];
        long[] maxs = new long[nKeys];
        int[][] keyBlocks = new int[nKeys][];
        for (int k = 0; k < nKeys; k++) {
            keys[k] = in.readString(Names.MAX_KEY_BYTES);
            if (k > 0 && keys[k - 1].compareTo(keys[k]) >= 0) {
                throw new CorruptDataException("key table not sorted at " + k);
            }
            counts[k] = in.readVarLong();
            mins[k] = in.readLong();
            maxs[k] = in.readLong();
            int nb = in.readVarInt(nBlocks);
            int[] bl = new int[nb];
            int prev = 0;
            for (int j = 0; j < nb; j++) {
                prev += in.readVarInt(nBlocks);
                if (prev >= nBlocks) {
                    throw new CorruptDataException("key " + k + " names block " + prev);
                }
                bl[j] = prev;
            }
            keyBlocks[k] = bl;
        }
        BloomFilter bloom = BloomFilter.readFrom(in);
        TimeSlices slices = in.remaining() == 0 ? null : readSlices(in, blocks);
        return new BucketFooter(List.of(blocks), keys, counts, mins, maxs, keyBlocks, bloom,
                slices);
    }

    /** Writes what follows the Bloom filter in format 2. */
    static void writeSlices(ByteSink out, TimeSlices slices) {
        out.writeByte(FORMAT_SLICED);
        out.writeLong(slices.origin());
        out.writeLong(slices.width());
    }

    private static TimeSlices readSlices(ByteSource in, BlockEntry[] blocks) {
        int format = in.readByte();
        if (format != FORMAT_SLICED) {
            throw new CorruptDataException("unsupported footer format " + format
                    + " (this reader knows formats 1 and " + FORMAT_SLICED + ")");
        }
        long origin = in.readLong();
        long width = in.readLong();
        if (width <= 0) {
            throw new CorruptDataException("slice width " + width);
        }
        TimeSlices slices = new TimeSlices(origin, width);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < blocks.length; i++) {
            long first;
            long last;
            try {
                first = slices.sliceOf(blocks[i].minTimestamp());
                last = slices.sliceOf(blocks[i].maxTimestamp());
            } catch (ArithmeticException e) {
                throw new CorruptDataException("block " + i + " is too far from the slice origin");
            }
            if (first != last || first < previous) {
                throw new CorruptDataException("block " + i + " is not within one slice in slice order");
            }
            previous = first;
        }
        if (in.remaining() != 0) {
            throw new CorruptDataException(in.remaining() + " bytes after the end of the footer");
        }
        return slices;
    }
}

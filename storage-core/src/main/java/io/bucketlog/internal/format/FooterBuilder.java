package io.bucketlog.internal.format;

import java.util.Arrays;

/**
 * Collects, while a bucket is written, what its footer will say: the block table and, per key,
 * its count, time range and blocks. Per-event work is a table lookup and a few comparisons.
 */
public final class FooterBuilder {
    private final InternTable keys = new InternTable();
    private long[] counts = new long[64];
    private long[] mins = new long[64];
    private long[] maxs = new long[64];
    private int[][] blocks = new int[64][];
    private int[] blockCounts = new int[64];
    private BlockEntry[] table = new BlockEntry[16];
    private int nBlocks;

    /** Records one event of {@code key} in the block that will be number {@link #blockCount()}. */
    public void addEvent(CharSequence key, long ts) {
        int id = keys.intern(key);
        if (id == counts.length) {
            int n = id * 2;
            counts = Arrays.copyOf(counts, n);
            mins = Arrays.copyOf(mins, n);
            maxs = Arrays.copyOf(maxs, n);
            blocks = Arrays.copyOf(blocks, n);
            blockCounts = Arrays.copyOf(blockCounts, n);
        }
        if (counts[id] == 0) {
            mins[id] = ts;
            maxs[id] = ts;
            blocks[id] = new int[2];
        } else {
            mins[id] = Math.min(mins[id], ts);
            maxs[id] = Math.max(maxs[id], ts);
        }
        counts[id]++;
        int[] bl = blocks[id];
        int nb = blockCounts[id];
        if (nb == 0 || bl[nb - 1] != nBlocks) {
            if (nb == bl.length) {
                bl = Arrays.copyOf(bl, nb * 2);
                blocks[id] = bl;
            }
            bl[nb] = nBlocks;
            blockCounts[id] = nb + 1;
        }
    }

    public void addBlock(BlockEntry entry) {
        if (nBlocks == table.length) {
            table = Arrays.copyOf(table, nBlocks * 2);
        }
        table[nBlocks++] = entry;
    }

    public int blockCount() {
        return nBlocks;
    }

    public int keyCount() {
        return keys.size();
    }

    /** Writes a format-1 footer to {@code out} and returns the Bloom filter of its keys. */
    public BloomFilter writeTo(ByteSink out) {
        return writeTo(out, null);
    }

    /**
     * Writes the footer to {@code out} and returns the Bloom filter of its keys.
     *
     * @param slices the time slices the blocks keep to (a format-2 footer), or {@code null}
     */
    public BloomFilter writeTo(ByteSink out, TimeSlices slices) {
        out.writeVarInt(nBlocks);
        for (int i = 0; i < nBlocks; i++) {
            BlockEntry b = table[i];
            out.writeLong(b.offset());
            out.writeInt(b.length());
            out.writeLong(b.minTimestamp());
            out.writeLong(b.maxTimestamp());
            out.writeInt(b.count());
        }
        Integer[] sorted = new Integer[keys.size()];
        for (int id = 0; id < sorted.length; id++) {
            sorted[id] = id;
        }
        Arrays.sort(sorted, (a, b) -> keys.get(a).compareTo(keys.get(b)));
        BloomFilter bloom = BloomFilter.forKeys(sorted.length);
        out.writeVarInt(sorted.length);
        for (int id : sorted) {
            String key = keys.get(id);
            bloom.add(key);
            out.writeString(key);
            out.writeVarLong(counts[id]);
            out.writeLong(mins[id]);
            out.writeLong(maxs[id]);
            int nb = blockCounts[id];
            out.writeVarInt(nb);
            int prev = 0;
            for (int j = 0; j < nb; j++) {
                out.writeVarInt(blocks[id][j] - prev);
                prev = blocks[id][j];
            }
        }
        bloom.writeTo(out);
        if (slices != null) {
            BucketFooter.writeSlices(out, slices);
        }
        return bloom;
    }
}

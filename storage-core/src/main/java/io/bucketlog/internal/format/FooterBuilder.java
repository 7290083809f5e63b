package io.bucketlog.internal.format;

import java.util.Arrays;

/**
 * Collects, while a bucket is written, what its footer will say: the block table and, per key,
 * its count, time range and blocks. Per-event work is a table lookup and a few comparisons.
 */
public final class FooterBuilder {
    /** Longs per key in {@link #stats}: count, min, max, (tail link &lt;&lt; 32 | last block). */
    private static final int STRIDE = 4;
    private static final int NO_LINK = -1;
    private final InternTable keys = new InternTable();
    /**
     * Per key, side by side so that an event touches one or two cache lines, not one per counter
     * (with 10 000 keys every event's key is cold): its count, min and max timestamp, and its block
     * list's tail in {@link #links} with the last block in it.
     */
    private long[] stats = new long[64 * STRIDE];
    /**
     * Every key's blocks, as a chain per key: pairs (block, previous link of the same key or
     * {@link #NO_LINK}), appended in order, so a new (key, block) pair is a write at the end.
     */
    private int[] links = new int[256];
    private int nLinks;
    private BlockEntry[] table = new BlockEntry[16];
    private int nBlocks;

    /** Records one event of {@code key} in the block that will be number {@link #blockCount()}. */
    public void addEvent(CharSequence key, long ts) {
        int id = keys.intern(key);
        int at = id * STRIDE;
        if (at == stats.length) {
            stats = Arrays.copyOf(stats, at * 2);
        }
        long[] st = stats;
        long count = st[at];
        if (count == 0) {
            st[at + 1] = ts;
            st[at + 2] = ts;
            st[at + 3] = link(NO_LINK);
        } else {
            if (ts < st[at + 1]) {
                st[at + 1] = ts;
            } else if (ts > st[at + 2]) {
                st[at + 2] = ts;
            }
            long tail = st[at + 3];
            if ((int) tail != nBlocks) {
                st[at + 3] = link((int) (tail >>> 32));
            }
        }
        st[at] = count + 1;
    }

    /** Appends block {@link #nBlocks} to a chain whose tail was {@code prev}; its new tail word. */
    private long link(int prev) {
        int k = nLinks;
        if (2 * k + 2 > links.length) {
            links = Arrays.copyOf(links, links.length * 2);
        }
        links[2 * k] = nBlocks;
        links[2 * k + 1] = prev;
        nLinks = k + 1;
        return (long) k << 32 | nBlocks;
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
        int[] keyBlocks = new int[16];
        for (int id : sorted) {
            String key = keys.get(id);
            bloom.add(key);
            out.writeString(key);
            int at = id * STRIDE;
            out.writeVarLong(stats[at]);
            out.writeLong(stats[at + 1]);
            out.writeLong(stats[at + 2]);
            int nb = 0; // the chain runs newest first
            for (int k = (int) (stats[at + 3] >>> 32); k != NO_LINK; k = links[2 * k + 1]) {
                if (nb == keyBlocks.length) {
                    keyBlocks = Arrays.copyOf(keyBlocks, nb * 2);
                }
                keyBlocks[nb++] = links[2 * k];
            }
            out.writeVarInt(nb);
            int prev = 0;
            for (int j = nb - 1; j >= 0; j--) {
                out.writeVarInt(keyBlocks[j] - prev);
                prev = keyBlocks[j];
            }
        }
        bloom.writeTo(out);
        if (slices != null) {
            BucketFooter.writeSlices(out, slices);
        }
        return bloom;
    }
}

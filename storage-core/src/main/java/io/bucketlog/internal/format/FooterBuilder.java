package io.bucketlog.internal.format;

import java.util.Arrays;

/**
 * Collects, while a bucket is written, what its footer will say: the block table and, per key,
 * its count, time range and blocks. Per-event work is a table lookup and a few comparisons.
 */
public final class FooterBuilder {
    /** Longs per key in {@link #stats}: count, min, max, (blocks of the key &lt;&lt; 32 | last block). */
    private static final int STRIDE = 4;
    private final InternTable keys = new InternTable(true);
    /**
     * Per key, side by side so that an event touches one or two cache lines, not one per counter
     * (with 10 000 keys every event's key is cold): its count, min and max timestamp, and how many
     * blocks hold it with the last of them.
     */
    private long[] stats = new long[64 * STRIDE];
    /**
     * Every (block, key) pair, appended as a key first appears in a block, so block numbers ascend.
     * Not a chain per key: {@link #writeTo} groups the pairs by key in two sequential passes,
     * where following a chain per key through the pairs of a bucket of millions of events was a
     * cache miss per link, a seventh of {@code TimelineEncodeBenchmark}'s samples.
     */
    private int[] links = new int[256];
    private int nLinks;
    private BlockEntry[] table = new BlockEntry[16];
    private int nBlocks;

    /** Records one event of {@code key} in the block that will be number {@link #blockCount()}. */
    public void addEvent(CharSequence key, long ts) {
        addEvent(key, InternTable.hash(key), ts);
    }

    /** {@link #addEvent(CharSequence, long)} of a key whose {@link InternTable#hash} is {@code hash}. */
    public void addEvent(CharSequence key, int hash, long ts) {
        int id = keys.intern(key, hash);
        int at = id * STRIDE;
        if (at == stats.length) {
            stats = Arrays.copyOf(stats, at * 2);
        }
        long[] st = stats;
        long count = st[at];
        if (count == 0) {
            st[at + 1] = ts;
            st[at + 2] = ts;
            st[at + 3] = 1L << 32 | nBlocks;
            link(id);
        } else {
            if (ts < st[at + 1]) {
                st[at + 1] = ts;
            } else if (ts > st[at + 2]) {
                st[at + 2] = ts;
            }
            long blocks = st[at + 3];
            if ((int) blocks != nBlocks) {
                st[at + 3] = ((blocks >>> 32) + 1) << 32 | nBlocks;
                link(id);
            }
        }
        st[at] = count + 1;
    }

    /** Appends the pair (block {@link #nBlocks}, key {@code id}). */
    private void link(int id) {
        int k = nLinks;
        if (2 * k + 2 > links.length) {
            links = Arrays.copyOf(links, links.length * 2);
        }
        links[2 * k] = nBlocks;
        links[2 * k + 1] = id;
        nLinks = k + 1;
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
        Arrays.sort(sorted, (a, b) -> CharSequence.compare(keys.get(a), keys.get(b)));
        BloomFilter bloom = BloomFilter.forKeys(sorted.length);
        out.writeVarInt(sorted.length);
        int[] from = new int[sorted.length + 1];
        int[] grouped = groupBlocksByKey(from);
        for (int id : sorted) {
            CharSequence key = keys.get(id);
            bloom.add(key);
            out.writeUtf8(key);
            int at = id * STRIDE;
            out.writeVarLong(stats[at]);
            out.writeLong(stats[at + 1]);
            out.writeLong(stats[at + 2]);
            out.writeVarInt(from[id + 1] - from[id]);
            int prev = 0;
            for (int j = from[id]; j < from[id + 1]; j++) {
                out.writeVarInt(grouped[j] - prev);
                prev = grouped[j];
            }
        }
        bloom.writeTo(out);
        if (slices != null) {
            BucketFooter.writeSlices(out, slices);
        }
        return bloom;
    }

    /**
     * Every key's blocks, ascending, key {@code id}'s at {@code [from[id], from[id + 1])} of the
     * array returned: a counting sort of {@link #links} by key, which keeps each key's blocks in
     * the order they were appended.
     */
    private int[] groupBlocksByKey(int[] from) {
        int n = keys.size();
        for (int id = 0; id < n; id++) {
            from[id + 1] = from[id] + (int) (stats[id * STRIDE + 3] >>> 32);
        }
        int[] next = Arrays.copyOf(from, n);
        int[] grouped = new int[nLinks];
        for (int k = 0; k < nLinks; k++) {
            grouped[next[links[2 * k + 1]]++] = links[2 * k];
        }
        return grouped;
    }
}

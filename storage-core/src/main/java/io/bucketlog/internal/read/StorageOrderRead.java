package io.bucketlog.internal.read;

import io.bucketlog.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one scan segment in the order the store holds them: bucket by bucket, each
 * bucket's blocks in file order, each block's records as stored (arrival order, or key then time
 * in a merged bucket). No block is held beyond the one being returned, nothing is sorted and no
 * heap orders runs: this is the scan for exports, counts and greps that do not need time order.
 *
 * <p><b>Every event once.</b> Copies of one {@link io.bucketlog.EventId} can lie in different
 * buckets of a segment (a recovery that uploaded again an event a merged bucket already holds; a
 * hand-made copy), which the time-ordered merge returns once because they come out adjacent. Here
 * they do not, so the buckets other than the largest are read first and the ids of their events
 * kept in an {@link EventIdSet} (a copy among them is returned once, the first time it is met);
 * then the largest is read and its events whose id was kept are skipped. One bucket holds an id
 * at most once: a writer numbers each event once, and the brigade checks its output
 * (ARCHITECTURE.md, *The brigade*). The largest bucket is the sealed one with the most events by
 * the index, so that what is kept is small: after compaction, a window's late buckets beside its
 * merged bucket.
 *
 * <p><b>Bounded memory.</b> Only where that holds ({@link #order}): a segment of one bucket, or
 * one whose other buckets are all sealed (their counts known) and hold at most {@value
 * #MAX_REMEMBERED} events in all. Any other segment (a live writer's unsealed bucket beside
 * others, a window of many small buckets) is read by the time-ordered {@link BlockMerge}, which
 * returns the same events, in time order.
 */
final class StorageOrderRead implements SegmentRead {
    /** Most ids kept per segment: about 24 MiB of table. */
    static final long MAX_REMEMBERED = 1 << 20;

    private final List<BlockMerge.Bucket> buckets;
    private final BlockMerge.Reader reader;
    private final EventIdSet kept = new EventIdSet();
    private int bucketAt;
    private List<BlockMerge.Block> blocks = List.of();
    private int blockAt;
    /** The blocks' arrays, passed from one block's records to the next. */
    private final RunColumns.Pool columns = new RunColumns.Pool();
    /** The current block's records, in stored order. */
    private DecodedRun records = new DecodedRun(0, columns);

    /**
     * @param buckets in the order of {@link #order}: the largest last
     */
    StorageOrderRead(List<BlockMerge.Bucket> buckets, BlockMerge.Reader reader) {
        this.buckets = buckets;
        this.reader = reader;
    }

    /**
     * The segment's buckets in the order this read takes them (the largest last), or {@code null}
     * if they must be read in time order to keep memory bounded (see the class comment).
     */
    static List<BlockMerge.Bucket> order(List<BlockMerge.Bucket> buckets) {
        if (buckets.size() <= 1) {
            return buckets;
        }
        int largest = -1;
        long total = 0;
        for (int i = 0; i < buckets.size(); i++) {
            BlockMerge.Bucket b = buckets.get(i);
            if (b.sealed() == null) {
                return null;
            }
            total += b.sealed().count();
            if (largest < 0 || b.sealed().count() > buckets.get(largest).sealed().count()) {
                largest = i;
            }
        }
        if (total - buckets.get(largest).sealed().count() > MAX_REMEMBERED) {
            return null;
        }
        List<BlockMerge.Bucket> out = new ArrayList<>(buckets);
        out.add(out.remove(largest));
        return out;
    }

    @Override
    public Event next() {
        while (true) {
            if (records.hasNext()) {
                Event e = records.take();
                boolean last = bucketAt == buckets.size();
                if (last ? kept.size() > 0 && kept.contains(e.id()) : !kept.add(e.id())) {
                    continue; // a copy of an event already returned
                }
                return e;
            }
            if (blockAt < blocks.size()) {
                BlockMerge.Block block = blocks.get(blockAt++);
                records.release();
                records = new DecodedRun(block.entries().get(0).count(), columns);
                reader.load(block, records);
                continue;
            }
            if (bucketAt == buckets.size()) {
                return null;
            }
            blocks = reader.open(buckets.get(bucketAt++));
            blockAt = 0;
        }
    }
}

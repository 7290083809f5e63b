package io.bucketlog.internal.read;

import io.bucketlog.Direction;
import io.bucketlog.Event;
import io.bucketlog.internal.format.BlockDecoder;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges the events of one index window into read order, opening a bucket and decoding a block
 * only when the merge reaches its time range.
 *
 * <p>Blocks are not sorted inside (events are stored as they arrived, unless a block is ordered by
 * key, which orders one key's events) and their time ranges overlap. Everything not yet read waits in one queue ordered by where it starts (minimum
 * timestamp going forward, maximum going backward): whole buckets, known only by their time range
 * (from the index, or their window), and the blocks of buckets already opened. Whenever the first
 * in the queue could hold an event that orders before the best event decoded so far, it is taken:
 * a bucket is opened and replaced by its matching blocks, a block is decoded and sorted once (not at all when the decoder
 * says its events are in order).
 * So a scan that stops early (a limit, "latest N") opens only the buckets and decodes only the
 * blocks it needed, and memory is bounded by what overlaps the current position.
 *
 * <p>A block of a merged bucket cut into time slices ({@link io.bucketlog.internal.format.TimeSlices})
 * is ordered by key, so it spans its whole slice and every block of the slice overlaps every
 * other: the merge would decode them one by one as the position enters the slice, each becoming
 * a sorted run in the heap (tens of thousands of runs in a large bucket). Such blocks come as one
 * {@link Block} per slice instead, decoded together and sorted once; that holds no more than the
 * one-by-one merge would hold soon after the slice starts, and the heap stays as deep as the
 * number of buckets and slices that overlap. Memory is bounded by what overlaps the current
 * position: per arrival-ordered bucket its blocks that do, per sliced bucket one slice.
 *
 * <p>Copies of one event (same timestamp and {@link io.bucketlog.EventId}) come out adjacent and
 * are returned once.
 */
final class BlockMerge implements SegmentRead {
    /** Forward order of events: the read order of records ({@link BlockDecoder#compare}). */
    static final Comparator<Event> FORWARD = (a, b) -> BlockDecoder.compare(
            a.timestampNanos(), a.id().writerId(), a.id().sequence(),
            b.timestampNanos(), b.id().writerId(), b.id().sequence());

    /** Something of the window not yet read. */
    sealed interface Pending permits Bucket, Block {
        long min();

        long max();
    }

    /**
     * A bucket not yet opened, with the time range it may hold.
     *
     * @param sealed what the index says of it, or {@code null}
     */
    record Bucket(StoreObject object, StoreLayout.BucketName name, IndexEntry.Sealed sealed, long min, long max)
            implements Pending {
    }

    /**
     * Blocks of an opened bucket that are read together: one block, or the candidate blocks of
     * one time slice of a sliced bucket, in file order.
     *
     * @param min the smallest of their minimum timestamps
     * @param max the largest of their maximum timestamps
     */
    record Block(BucketFile file, List<BlockEntry> entries, long min, long max) implements Pending {
        Block {
            entries = List.copyOf(entries);
        }

        /** One block. */
        static Block of(BucketFile file, BlockEntry entry) {
            return new Block(file, List.of(entry), entry.minTimestamp(), entry.maxTimestamp());
        }

        /** Blocks read together, at least one. */
        static Block of(BucketFile file, List<BlockEntry> entries) {
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (BlockEntry e : entries) {
                min = Math.min(min, e.minTimestamp());
                max = Math.max(max, e.maxTimestamp());
            }
            return new Block(file, entries, min, max);
        }
    }

    /** Opens buckets and reads blocks; each reports its own problems and never throws. */
    interface Reader {
        /** The blocks of a bucket that may hold matching events (empty if none, or unreadable). */
        List<Block> open(Bucket bucket);

        /**
         * Adds the matching records of a block's entries to {@code out} (none of an entry that
         * cannot be read).
         *
         * @return whether they are already in forward order (key-ordered blocks read for one key)
         */
        boolean load(Block block, DecodedRun out);
    }

    private final boolean forward;
    private final Comparator<DecodedRun> order;
    private final PriorityQueue<Pending> pending;
    /** Runs other than {@link #current}, by their next record. */
    private final PriorityQueue<DecodedRun> heap;
    /**
     * The run whose next event is the best of all, kept out of the heap: a scan takes many events
     * in a row from one run (one slice, one block), and each would otherwise go through the heap.
     */
    private DecodedRun current;
    private final Reader reader;
    /** Sorts the runs, one after the other: this merge is single-threaded. */
    private final TimeOrder timeOrder = new TimeOrder();
    /** The runs' arrays, given back when a run is read to its end or found empty. */
    private final RunColumns.Pool columns = new RunColumns.Pool();
    private Event last;

    BlockMerge(List<Bucket> buckets, Direction direction, Reader reader) {
        this.forward = direction == Direction.FORWARD;
        this.order = forward ? DecodedRun::compareNext : (a, b) -> b.compareNext(a);
        this.reader = reader;
        Comparator<Pending> byStart = forward ? Comparator.comparingLong(Pending::min)
                : Comparator.comparingLong(Pending::max).reversed();
        this.pending = new PriorityQueue<>(Math.max(1, buckets.size()), byStart);
        pending.addAll(buckets);
        this.heap = new PriorityQueue<>(order);
    }

    /** The next event, or {@code null} when the window is exhausted. */
    @Override
    public Event next() {
        while (true) {
            while (!pending.isEmpty() && (current == null || mayPrecede(pending.peek(), current.timestamp()))) {
                Pending p = pending.poll();
                if (p instanceof Bucket b) {
                    pending.addAll(reader.open(b));
                } else {
                    Block block = (Block) p;
                    int count = 0;
                    for (BlockEntry entry : block.entries()) {
                        count += entry.count();
                    }
                    DecodedRun run = new DecodedRun(count, columns);
                    boolean sorted = reader.load(block, run);
                    if (run.size() > 0) {
                        if (!sorted) {
                            run.sort(timeOrder);
                        }
                        if (!forward) {
                            run.reverse();
                        }
                        offer(run);
                    } else {
                        run.release();
                    }
                }
            }
            DecodedRun c = current;
            if (c == null) {
                return null;
            }
            Event e = c.take();
            if (!c.hasNext()) {
                c.release();
                current = heap.poll();
            } else if (!heap.isEmpty() && order.compare(heap.peek(), c) < 0) {
                heap.add(c);
                current = heap.poll();
            }
            if (last != null && last.timestampNanos() == e.timestampNanos() && last.id().equals(e.id())) {
                continue; // a second copy of the same event
            }
            last = e;
            return e;
        }
    }

    /** Adds a run, keeping the one with the best next record as {@link #current}. */
    private void offer(DecodedRun c) {
        if (current == null) {
            current = c;
        } else if (order.compare(c, current) < 0) {
            heap.add(current);
            current = c;
        } else {
            heap.add(c);
        }
    }

    private boolean mayPrecede(Pending p, long best) {
        return forward ? p.min() <= best : p.max() >= best;
    }
}

package io.bucketlog.internal.read;

import io.bucketlog.Direction;
import io.bucketlog.Event;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.IndexEntry;
import java.util.ArrayList;
import java.util.Collections;
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
 * <p>Copies of one event (same timestamp and {@link io.bucketlog.EventId}) come out adjacent and
 * are returned once.
 */
final class BlockMerge {
    /** Forward order: (timestamp, writerId, sequence). */
    static final Comparator<Event> FORWARD = Comparator.comparingLong(Event::timestampNanos)
            .thenComparing(Event::id);

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

    /** A block of an opened bucket. */
    record Block(BucketFile file, BlockEntry entry) implements Pending {
        @Override
        public long min() {
            return entry.minTimestamp();
        }

        @Override
        public long max() {
            return entry.maxTimestamp();
        }
    }

    /** Opens buckets and reads blocks; each reports its own problems and never throws. */
    interface Reader {
        /** The blocks of a bucket that may hold matching events (empty if none, or unreadable). */
        List<Block> open(Bucket bucket);

        /**
         * Appends a block's matching events to {@code out} (none if it cannot be read).
         *
         * @return whether they are already in forward order (a key-ordered block read for one key)
         */
        boolean load(Block block, List<Event> out);
    }

    private static final class Cursor {
        final List<Event> events;
        int next;

        Cursor(List<Event> events) {
            this.events = events;
        }

        Event peek() {
            return events.get(next);
        }
    }

    private final boolean forward;
    private final Comparator<Event> order;
    private final PriorityQueue<Pending> pending;
    private final PriorityQueue<Cursor> heap;
    private final Reader reader;
    private Event last;

    BlockMerge(List<Bucket> buckets, Direction direction, Reader reader) {
        this.forward = direction == Direction.FORWARD;
        this.order = forward ? FORWARD : FORWARD.reversed();
        this.reader = reader;
        Comparator<Pending> byStart = forward ? Comparator.comparingLong(Pending::min)
                : Comparator.comparingLong(Pending::max).reversed();
        this.pending = new PriorityQueue<>(Math.max(1, buckets.size()), byStart);
        pending.addAll(buckets);
        this.heap = new PriorityQueue<>((a, b) -> order.compare(a.peek(), b.peek()));
    }

    /** The next event, or {@code null} when the window is exhausted. */
    Event next() {
        while (true) {
            while (!pending.isEmpty() && (heap.isEmpty() || mayPrecede(pending.peek(), heap.peek().peek()))) {
                Pending p = pending.poll();
                if (p instanceof Bucket b) {
                    pending.addAll(reader.open(b));
                } else {
                    Block block = (Block) p;
                    List<Event> events = new ArrayList<>(block.entry().count());
                    boolean sorted = reader.load(block, events);
                    if (!events.isEmpty()) {
                        if (!sorted) {
                            events.sort(order);
                        } else if (!forward) {
                            Collections.reverse(events);
                        }
                        heap.add(new Cursor(events));
                    }
                }
            }
            Cursor c = heap.poll();
            if (c == null) {
                return null;
            }
            Event e = c.events.get(c.next++);
            if (c.next < c.events.size()) {
                heap.add(c);
            }
            if (last != null && last.timestampNanos() == e.timestampNanos() && last.id().equals(e.id())) {
                continue; // a second copy of the same event
            }
            last = e;
            return e;
        }
    }

    private boolean mayPrecede(Pending p, Event best) {
        return forward ? p.min() <= best.timestampNanos() : p.max() >= best.timestampNanos();
    }
}

package io.bucketlog.read;

import io.bucketlog.Direction;
import io.bucketlog.Event;
import io.bucketlog.format.BlockEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges the events of many blocks into one ordered sequence, decoding a block only when the merge
 * reaches its time range.
 *
 * <p>Blocks are not sorted inside (events are stored as they arrived) and their time ranges
 * overlap. The merge keeps the blocks not yet decoded ordered by where they start (minimum
 * timestamp going forward, maximum going backward) and decodes the next one whenever it could
 * hold an event that orders before the best event of the blocks already decoded. Each decoded
 * block is sorted once. Memory is bounded by the blocks whose ranges overlap the current position.
 * Copies of one event (same timestamp and {@link io.bucketlog.EventId}) come out adjacent and are
 * returned once.
 */
final class BlockMerge {
    /** Forward order: (timestamp, writerId, sequence). */
    static final Comparator<Event> FORWARD = Comparator.comparingLong(Event::timestampNanos)
            .thenComparing(Event::id);

    /** A block to merge and the bucket it is read from. */
    record Source(BucketFile file, BlockEntry block) {
    }

    /** Reads a block's matching events. */
    interface Loader {
        void load(Source source, List<Event> out) throws IOException;
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
    private final List<Source> pending; // in load order; consumed from the front via pendingAt
    private int pendingAt;
    private final PriorityQueue<Cursor> heap;
    private final Loader loader;
    private Event last;

    BlockMerge(List<Source> blocks, Direction direction, Loader loader) {
        this.forward = direction == Direction.FORWARD;
        this.order = forward ? FORWARD : FORWARD.reversed();
        this.loader = loader;
        this.pending = new ArrayList<>(blocks);
        if (forward) {
            pending.sort(Comparator.comparingLong(s -> s.block().minTimestamp()));
        } else {
            pending.sort(Comparator.comparingLong((Source s) -> s.block().maxTimestamp()).reversed());
        }
        this.heap = new PriorityQueue<>(Math.max(1, blocks.size()), (a, b) -> order.compare(a.peek(), b.peek()));
    }

    /** The next event, or {@code null} when every block is exhausted. */
    Event next() throws IOException {
        while (true) {
            while (pendingAt < pending.size() && (heap.isEmpty() || mayPrecede(pending.get(pendingAt), heap.peek().peek()))) {
                Source s = pending.get(pendingAt);
                pending.set(pendingAt++, null);
                List<Event> events = new ArrayList<>(s.block().count());
                loader.load(s, events);
                if (!events.isEmpty()) {
                    events.sort(order);
                    heap.add(new Cursor(events));
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

    private boolean mayPrecede(Source s, Event best) {
        return forward ? s.block().minTimestamp() <= best.timestampNanos()
                : s.block().maxTimestamp() >= best.timestampNanos();
    }
}

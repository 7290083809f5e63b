package io.bucketlog.reader;

import io.bucketlog.Event;
import io.bucketlog.format.BlockEntry;
import io.bucketlog.read.BucketFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges the events of one window's blocks into read order, decoding a block only when the merge
 * reaches its time range.
 *
 * <p>Blocks hold events in arrival order and their time ranges overlap. Blocks not yet decoded
 * wait ordered by where they start (minimum timestamp going forward, maximum going backward); the
 * next one is decoded whenever it could hold an event that orders before the best decoded event.
 * Each decoded block is sorted once. Copies of one event (same timestamp and id, as when the
 * brigade's replacement is read beside an original) come out adjacent and are returned once.
 */
final class OrderedMerge {
    /** Forward read order: (timestamp, writerId, sequence). */
    static final Comparator<Event> FORWARD = Comparator.comparingLong(Event::timestampNanos)
            .thenComparing(Event::id);

    /** A block to merge and the bucket it is read from. */
    record Source(BucketFile file, BlockEntry block) {
    }

    /** Reads a block's matching events. */
    interface Loader {
        void load(Source source, List<Event> out) throws IOException;
    }

    private static final class Run {
        final List<Event> events;
        int next;

        Run(List<Event> events) {
            this.events = events;
        }

        Event peek() {
            return events.get(next);
        }
    }

    private final boolean forward;
    private final Comparator<Event> order;
    private final List<Source> pending;
    private int pendingAt;
    private final PriorityQueue<Run> heap;
    private final Loader loader;
    private Event last;

    OrderedMerge(List<Source> blocks, boolean forward, Loader loader) {
        this.forward = forward;
        this.order = forward ? FORWARD : FORWARD.reversed();
        this.loader = loader;
        this.pending = new ArrayList<>(blocks);
        if (forward) {
            pending.sort(Comparator.comparingLong(s -> s.block().minTimestamp()));
        } else {
            pending.sort(Comparator.comparingLong((Source s) -> s.block().maxTimestamp()).reversed());
        }
        this.heap = new PriorityQueue<>(Math.max(1, blocks.size()),
                (a, b) -> order.compare(a.peek(), b.peek()));
    }

    /** The next event, or {@code null} when every block is exhausted. */
    Event next() throws IOException {
        while (true) {
            while (pendingAt < pending.size()
                    && (heap.isEmpty() || mayPrecede(pending.get(pendingAt), heap.peek().peek()))) {
                Source s = pending.get(pendingAt);
                pending.set(pendingAt++, null);
                List<Event> events = new ArrayList<>(s.block().count());
                loader.load(s, events);
                if (!events.isEmpty()) {
                    events.sort(order);
                    heap.add(new Run(events));
                }
            }
            Run r = heap.poll();
            if (r == null) {
                return null;
            }
            Event e = r.events.get(r.next++);
            if (r.next < r.events.size()) {
                heap.add(r);
            }
            if (last != null && last.timestampNanos() == e.timestampNanos()
                    && last.id().equals(e.id())) {
                continue;
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

package io.bucketlog.brigade;

import io.bucketlog.Event;
import io.bucketlog.EventId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order of a merged bucket's records: by key, then time, then {@link EventId}, so that one
 * key's events of a window lie together (in one or two blocks) and in the order readers return
 * them.
 */
final class MergeOrder {
    static final Comparator<Event> ORDER = Comparator.comparing(Event::key)
            .thenComparingLong(Event::timestampNanos)
            .thenComparing(Event::id);

    private MergeOrder() {
    }

    /**
     * The records sorted, each event once. Copies of an event (the same id) can meet only when an
     * input is itself a copy: a merged bucket whose commit lost, kept by a brigade that died
     * before deleting it. They are equal and adjacent after sorting; one is kept.
     *
     * @throws IllegalStateException if two records share an id but differ: that is never a copy,
     *     and merging would lose one of them
     */
    static Sorted sort(List<Event> records) {
        List<Event> sorted = new ArrayList<>(records);
        sorted.sort(ORDER);
        List<Event> out = new ArrayList<>(sorted.size());
        java.util.Set<EventId> seen = new java.util.HashSet<>();
        long copies = 0;
        for (Event e : sorted) {
            if (!seen.add(e.id())) {
                Event last = out.get(out.size() - 1);
                if (!last.equals(e)) {
                    throw new IllegalStateException("two different events have the id " + e.id());
                }
                copies++;
                continue;
            }
            out.add(e);
        }
        return new Sorted(out, copies);
    }

    /** Sorted records and how many copies were dropped. */
    record Sorted(List<Event> records, long copies) {
    }
}

package io.bucketlog.brigade;

import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.internal.format.BlockDecoder;
import io.bucketlog.internal.format.TimeSlices;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order of a merged bucket's records: by time slice, then key, then time, then
 * {@link EventId}. Within a slice one key's events lie together (in one or two blocks) and in the
 * order readers return them; and because a block never spans slices, a scan in time order decodes
 * one slice at a time instead of the whole bucket.
 *
 * <p>The slices are chosen from the records: as few as a lookup by key wants, which is about one
 * slice per block's worth of the average key's records (a key then fills about one block per
 * slice), and at least as many as keep each slice within {@link #MAX_SLICE_BYTES} of records, which
 * bounds what a scan in time order holds decoded at once.
 */
final class MergeOrder {
    /**
     * The most record bytes (uncompressed, estimated) a slice should hold: what a scan in time
     * order decodes at once per merged bucket. The largest block a reader decodes
     * ({@link BlockDecoder#MAX_UNCOMPRESSED}) is the same size.
     */
    static final long MAX_SLICE_BYTES = BlockDecoder.MAX_UNCOMPRESSED;

    private MergeOrder() {
    }

    /** The order within one slice: key, timestamp, id. */
    static final Comparator<Event> KEY_ORDER = Comparator.comparing(Event::key)
            .thenComparingLong(Event::timestampNanos)
            .thenComparing(Event::id);

    /** The whole order of a merged bucket cut into {@code slices}. */
    static Comparator<Event> order(TimeSlices slices) {
        return Comparator.comparingLong((Event e) -> slices.sliceOf(e.timestampNanos()))
                .thenComparing(KEY_ORDER);
    }

    /**
     * The records sorted, each event once. Copies of an event (the same id) can meet only when an
     * input is itself a copy: a merged bucket whose commit lost, kept by a brigade that died
     * before deleting it. They are equal and adjacent after sorting; one is kept.
     *
     * @param blockBytes the block size the records will be written in
     * @throws IllegalStateException if two records share an id but differ: that is never a copy,
     *     and merging would lose one of them
     */
    static Sorted sort(List<Event> records, int blockBytes) {
        TimeSlices slices = slices(records, blockBytes);
        List<Event> sorted = new ArrayList<>(records);
        sorted.sort(order(slices));
        List<Event> out = new ArrayList<>(sorted.size());
        Set<EventId> seen = new HashSet<>();
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
        return new Sorted(out, copies, slices);
    }

    /**
     * Equal slices from the earliest record to the latest: {@code max(byKey, byMemory)} of them,
     * where {@code byKey} = bytes / (keys * blockBytes) and {@code byMemory} = bytes /
     * {@link #MAX_SLICE_BYTES}, both rounded up and at least one.
     */
    static TimeSlices slices(List<Event> records, int blockBytes) {
        return slices(records, blockBytes, MAX_SLICE_BYTES);
    }

    static TimeSlices slices(List<Event> records, int blockBytes, long maxSliceBytes) {
        if (records.isEmpty()) {
            return new TimeSlices(0, 1);
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long bytes = 0;
        Set<String> keys = new HashSet<>();
        for (Event e : records) {
            min = Math.min(min, e.timestampNanos());
            max = Math.max(max, e.timestampNanos());
            bytes += estimatedBytes(e);
            keys.add(e.key());
        }
        long byKey = ceilDiv(bytes, (long) keys.size() * Math.max(1, blockBytes));
        long byMemory = ceilDiv(bytes, maxSliceBytes);
        long count = Math.max(1, Math.max(byKey, byMemory));
        long span = max - min + 1; // within one bucket window, so no overflow
        return new TimeSlices(min, Math.max(1, ceilDiv(span, count)));
    }

    /** About the bytes of a record in a block: its body, key and attributes, and a few varints. */
    private static long estimatedBytes(Event e) {
        long n = 12L + e.body().length + e.key().length();
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
            n += 2 + a.getKey().length() + a.getValue().length();
        }
        return n;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * Sorted records, how many copies were dropped, and the slices they are sorted by.
     *
     * @param slices the time slices of the merged bucket's blocks
     */
    record Sorted(List<Event> records, long copies, TimeSlices slices) {
    }
}

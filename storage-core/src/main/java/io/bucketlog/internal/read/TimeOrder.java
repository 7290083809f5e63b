package io.bucketlog.internal.read;

import io.bucketlog.Event;
import java.util.Arrays;
import java.util.List;

/**
 * Sorts decoded events into forward read order, (timestamp, writer, sequence), as
 * {@code events.sort(BlockMerge.FORWARD)} would, but by their timestamps packed into one array of
 * {@code long}s: a time slice of a merged bucket is sorted in one go, hundreds of thousands of
 * events, and comparing the events themselves (every comparison two objects far apart in memory)
 * took over half of such a scan.
 *
 * <p>Each long is the timestamp's offset from the smallest, shifted left by enough bits for the
 * event's position in the list, so sorting the longs sorts by time and keeps the position; events
 * of one timestamp are then put in id order. When the offsets need more bits than are left, the
 * events are first distributed by the offsets' high bits into up to 2^{@value #MAX_PARTITION_BITS}
 * consecutive time ranges (one counting pass), and each range is sorted that way on its low bits.
 * A time range wider still (only a damaged or hand-made bucket has one) is sorted by comparing.
 */
final class TimeOrder {
    /** Below this many events comparing them is as fast. */
    private static final int PACKED_FROM = 64;
    private static final int MAX_PARTITION_BITS = 16;

    private TimeOrder() {
    }

    static void sort(List<Event> events) {
        int n = events.size();
        if (n < PACKED_FROM) {
            events.sort(BlockMerge.FORWARD);
            return;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Event e : events) {
            min = Math.min(min, e.timestampNanos());
            max = Math.max(max, e.timestampNanos());
        }
        long range = max - min;
        int positionBits = 64 - Long.numberOfLeadingZeros(n - 1L);
        int lowBits = 63 - positionBits;
        int highBits = Math.max(0, 64 - Long.numberOfLeadingZeros(range) - lowBits);
        if (range < 0 || highBits > MAX_PARTITION_BITS) {
            events.sort(BlockMerge.FORWARD); // wider than a long, or than the partitions
            return;
        }
        Event[] byRange = partition(events, min, lowBits, highBits);
        int[] starts = starts(byRange, min, lowBits, highBits);
        long lowMask = (1L << lowBits) - 1;
        long positionMask = (1L << positionBits) - 1;
        long[] packed = new long[n];
        Event[] sorted = new Event[n];
        for (int p = 0; p + 1 < starts.length; p++) {
            int from = starts[p];
            int to = starts[p + 1];
            for (int i = from; i < to; i++) {
                packed[i] = ((byRange[i].timestampNanos() - min) & lowMask) << positionBits | (i - from);
            }
            Arrays.sort(packed, from, to);
            for (int i = from; i < to; i++) {
                sorted[i] = byRange[from + (int) (packed[i] & positionMask)];
            }
        }
        for (int i = 0; i < n; ) {
            int j = i + 1;
            while (j < n && sorted[j].timestampNanos() == sorted[i].timestampNanos()) {
                j++;
            }
            if (j - i > 1) {
                Arrays.sort(sorted, i, j, BlockMerge.FORWARD);
            }
            i = j;
        }
        for (int i = 0; i < n; i++) {
            events.set(i, sorted[i]);
        }
    }

    /** The events grouped by the high bits of their offsets, in ascending groups. */
    private static Event[] partition(List<Event> events, long min, int lowBits, int highBits) {
        int n = events.size();
        Event[] out = new Event[n];
        if (highBits == 0) {
            return events.toArray(out);
        }
        int[] next = new int[(1 << highBits) + 1];
        for (Event e : events) {
            next[(int) ((e.timestampNanos() - min) >>> lowBits) + 1]++;
        }
        for (int p = 1; p < next.length; p++) {
            next[p] += next[p - 1];
        }
        for (Event e : events) {
            out[next[(int) ((e.timestampNanos() - min) >>> lowBits)]++] = e;
        }
        return out;
    }

    /** Where each group of {@link #partition} starts, and the end. */
    private static int[] starts(Event[] byRange, long min, int lowBits, int highBits) {
        int[] starts = new int[(1 << highBits) + 1];
        int p = 0;
        for (int i = 0; i < byRange.length; i++) {
            int group = (int) ((byRange[i].timestampNanos() - min) >>> lowBits);
            while (p < group) {
                starts[++p] = i;
            }
        }
        while (p < starts.length - 1) {
            starts[++p] = byRange.length;
        }
        return starts;
    }
}

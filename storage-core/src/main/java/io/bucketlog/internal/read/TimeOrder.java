package io.bucketlog.internal.read;

import io.bucketlog.Event;
import java.util.Arrays;
import java.util.List;

/**
 * Sorts decoded events into forward read order, (timestamp, writer, sequence), as
 * {@code events.sort(BlockMerge.FORWARD)} would, but by their timestamps packed into one array of
 * {@code long}s: a time slice of a merged bucket is sorted in one go, hundreds of thousands of
 * events, and comparing the events themselves (every comparison two objects far apart in memory)
 * took over half of such a scan. Each long is the timestamp's offset from the smallest, shifted
 * left by enough bits for the event's position in the list, so sorting them sorts by time and
 * keeps the position; events of one timestamp are then put in id order. When the time range is
 * too wide for the bits left, the events are compared instead.
 */
final class TimeOrder {
    /** Below this many events comparing them is as fast. */
    private static final int PACKED_FROM = 64;

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
        int positionBits = 64 - Long.numberOfLeadingZeros(n - 1L);
        long range = max - min;
        if (range < 0 || range >>> (63 - positionBits) != 0) {
            events.sort(BlockMerge.FORWARD); // wider than the bits left (or than a long)
            return;
        }
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            packed[i] = (events.get(i).timestampNanos() - min) << positionBits | i;
        }
        Arrays.sort(packed);
        long mask = (1L << positionBits) - 1;
        Event[] sorted = new Event[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = events.get((int) (packed[i] & mask));
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
}

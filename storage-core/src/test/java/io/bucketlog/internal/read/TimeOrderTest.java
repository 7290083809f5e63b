package io.bucketlog.internal.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.EventId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimeOrderTest {
    private static List<Event> events(int n, long spread, Random random) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // Few distinct timestamps among many events: ties, which the id orders.
            long ts = 1_700_000_000_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % spread;
            out.add(new Event("s", "k" + random.nextInt(50), ts, Map.of(), new byte[0],
                    new EventId("w" + random.nextInt(3), random.nextInt(1_000_000))));
        }
        return out;
    }

    private static void sortsAsTheComparatorDoes(List<Event> events) {
        List<Event> expected = new ArrayList<>(events);
        expected.sort(BlockMerge.FORWARD);
        int n = events.size();
        long[] timestamps = new long[n];
        String[] writers = new String[n];
        long[] sequences = new long[n];
        for (int i = 0; i < n; i++) {
            timestamps[i] = events.get(i).timestampNanos();
            writers[i] = events.get(i).id().writerId();
            sequences[i] = events.get(i).id().sequence();
        }
        List<Event> actual = new ArrayList<>();
        for (int i : TimeOrder.order(timestamps, writers, sequences, n)) {
            actual.add(events.get(i));
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void eventsComeOutInTimestampThenIdOrderWithTiesAmongThem() {
        Random random = new Random(17);
        // The widest spreads need more bits than a long has beside the positions: partitioned.
        for (long spread : new long[] {1, 7, 1_000, 3_600_000_000_000L, 86_400_000_000_000L,
                1L << 50, 1L << 58}) {
            for (int n : new int[] {0, 1, 63, 64, 1_000, 20_000}) {
                sortsAsTheComparatorDoes(events(n, spread, random));
            }
        }
    }

    @Test
    void aTimeRangeTooWideToPackIsSortedByComparingTheEvents() {
        Random random = new Random(19);
        List<Event> events = events(5_000, 1_000, random);
        events.add(new Event("s", "k", Long.MIN_VALUE + 1, Map.of(), new byte[0], new EventId("w", 1)));
        events.add(new Event("s", "k", Long.MAX_VALUE, Map.of(), new byte[0], new EventId("w", 2)));
        events.add(new Event("s", "k", 0, Map.of(), new byte[0], new EventId("w", 3)));
        sortsAsTheComparatorDoes(events);
    }
}

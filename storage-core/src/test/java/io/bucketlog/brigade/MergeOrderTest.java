package io.bucketlog.brigade;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.internal.format.TimeSlices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MergeOrderTest {
    private static final long START = 1_700_000_000_000_000_000L;
    private static final long HOUR = 3_600_000_000_000L;

    /** {@code n} events of {@code keys} keys ("k0".."k9"), 100-byte bodies, over one hour. */
    private static List<Event> events(int n, int keys) {
        Random random = new Random(3);
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Event("s", "k" + random.nextInt(keys), START + (long) i * HOUR / n, Map.of(),
                    new byte[100], new EventId("w", i)));
        }
        return out;
    }

    private static long sliceCount(TimeSlices s, List<Event> events) {
        return s.sliceOf(events.get(events.size() - 1).timestampNanos()) + 1;
    }

    @Test
    void aKeyGetsAboutOneBlockPerSliceWhenMemoryAllowsIt() {
        List<Event> events = events(1000, 10); // 114 bytes a record: 114,000 bytes, 11,400 a key
        TimeSlices s = MergeOrder.slices(events, 1000, 1 << 20);
        assertThat(s.origin()).isEqualTo(START);
        assertThat(sliceCount(s, events)).isEqualTo(12); // 11,400 / 1,000, rounded up
        assertThat(s.sliceOf(START)).isZero();
    }

    @Test
    void manyKeysWithFewRecordsEachAreSlicedOnlyAsMemoryRequires() {
        List<Event> events = events(1000, 1000);
        assertThat(sliceCount(MergeOrder.slices(events, 1000, 1 << 20), events)).isEqualTo(1);
        assertThat(sliceCount(MergeOrder.slices(events, 1000, 10_000), events)).isEqualTo(12);
    }

    @Test
    void theOrderIsSliceThenKeyThenTimeThenId() {
        List<Event> events = events(2000, 7);
        MergeOrder.Sorted sorted = MergeOrder.sort(events, 1000);
        TimeSlices s = sorted.slices();
        assertThat(sorted.records()).hasSize(events.size()).isSortedAccordingTo(MergeOrder.order(s));
        for (int i = 1; i < sorted.records().size(); i++) {
            Event a = sorted.records().get(i - 1);
            Event b = sorted.records().get(i);
            assertThat(s.sliceOf(a.timestampNanos())).isLessThanOrEqualTo(s.sliceOf(b.timestampNanos()));
        }
        assertThat(sliceCount(s, events)).isGreaterThan(1);
    }
}

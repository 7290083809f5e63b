package io.bucketlog.internal.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.internal.format.BlockDecoder;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class TimeOrderTest {
    private static final long BASE = 1_700_000_000_000_000_000L;

    /** Records as columns, the way {@link DecodedRun} holds them. */
    private record Records(long[] timestamps, String[] writers, long[] sequences) {
        int size() {
            return timestamps.length;
        }
    }

    /**
     * {@code n} records of {@code writers} writers whose timestamps lie within {@code spread} of
     * {@code BASE} ({@code spread} 0: anywhere in a long), in multiples of {@code tick}; with
     * {@code extremes}, the smallest and largest longs among them.
     */
    private static Records records(int n, long spread, long tick, int writers, boolean extremes,
                                   Random random) {
        long[] timestamps = new long[n];
        String[] ids = new String[n];
        long[] sequences = new long[n];
        for (int i = 0; i < n; i++) {
            long offset = spread == 0 ? random.nextLong() : (random.nextLong() & Long.MAX_VALUE) % spread;
            timestamps[i] = spread == 0 ? offset : BASE + offset / tick * tick;
            ids[i] = "w" + random.nextInt(writers);
            // Few sequences: some records are copies of one event, which may come in either order.
            sequences[i] = random.nextInt(Math.max(1, n / 2));
        }
        if (extremes && n >= 2) {
            timestamps[random.nextInt(n)] = Long.MIN_VALUE;
            timestamps[random.nextInt(n)] = Long.MAX_VALUE;
        }
        return new Records(timestamps, ids, sequences);
    }

    private static void sortsAsComparingDoes(TimeOrder order, Records r) {
        int n = r.size();
        Integer[] expected = new Integer[n];
        for (int i = 0; i < n; i++) {
            expected[i] = i;
        }
        Arrays.sort(expected, (a, b) -> BlockDecoder.compare(r.timestamps[a], r.writers[a],
                r.sequences[a], r.timestamps[b], r.writers[b], r.sequences[b]));
        int[] actual = Arrays.copyOf(order.order(r.timestamps, r.writers, r.sequences, n), n);
        assertThat(Arrays.stream(actual).sorted().toArray())
                .as("a permutation").isEqualTo(java.util.stream.IntStream.range(0, n).toArray());
        for (int i = 0; i < n; i++) {
            int a = actual[i];
            int e = expected[i];
            // Copies of one event compare equal: their order among them is free, their records not.
            assertThat(new Object[] {r.timestamps[a], r.writers[a], r.sequences[a]})
                    .as("record %d of %d", i, n)
                    .containsExactly(r.timestamps[e], r.writers[e], r.sequences[e]);
        }
    }

    @Provide
    Arbitrary<Long> spreads() {
        return Arbitraries.of(0L, 1L, 7L, 1_000L, 3_600_000_000_000L, 21_600_000_000_000L, 1L << 50,
                1L << 58, Long.MAX_VALUE);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 3_000),
                Arbitraries.integers().between(60, 70), Arbitraries.of(0, 1, 2, 63, 64, 65, 128));
    }

    @Property(tries = 300)
    void recordsComeOutAsComparingThemPutsThemOneCallAfterAnother(
            @ForAll("sizes") int n, @ForAll("spreads") long spread,
            @ForAll("sizes") int secondN, @ForAll("spreads") long secondSpread,
            @ForAll @IntRange(min = 1, max = 4) int writers, @ForAll boolean microseconds,
            @ForAll boolean extremes, @ForAll long seed) {
        Random random = new Random(seed);
        long tick = microseconds ? 1_000 : 1;
        TimeOrder order = new TimeOrder();
        // The second call reuses the arrays of the first, larger or smaller.
        sortsAsComparingDoes(order, records(n, spread, tick, writers, extremes, random));
        sortsAsComparingDoes(order, records(secondN, secondSpread, tick, writers, !extremes, random));
    }

    @Example
    void aSliceOfManyKeysEachInTimeOrderComesOutInTimeOrder() {
        // A merged slice: 100,000 keys one after the other, each with its events of six hours
        // in time order, a few of them at one timestamp.
        Random random = new Random(23);
        int keys = 100_000;
        int n = 0;
        long[] timestamps = new long[keys * 8];
        String[] writers = new String[timestamps.length];
        long[] sequences = new long[timestamps.length];
        for (int k = 0; k < keys; k++) {
            int events = 1 + random.nextInt(7);
            long[] ts = new long[events];
            for (int e = 0; e < events; e++) {
                ts[e] = BASE + (random.nextLong() & Long.MAX_VALUE) % 21_600_000_000_000L / 1_000 * 1_000;
            }
            if (events > 1 && random.nextInt(10) == 0) {
                ts[1] = ts[0];
            }
            Arrays.sort(ts);
            for (long t : ts) {
                timestamps[n] = t;
                writers[n] = "w" + random.nextInt(3);
                sequences[n] = n;
                n++;
            }
        }
        sortsAsComparingDoes(new TimeOrder(), new Records(Arrays.copyOf(timestamps, n),
                Arrays.copyOf(writers, n), Arrays.copyOf(sequences, n)));
    }

    @Example
    void manyRecordsOfOneTimestampArePutInIdOrder() {
        sortsAsComparingDoes(new TimeOrder(), records(20_000, 1, 1, 3, false, new Random(29)));
    }

    @Example
    void aTimeRangeWiderThanALongHoldsIsStillSortedExactly() {
        // Offsets of 64 bits: the key drops the low bits, and the thousands of records a microsecond apart fall into one
        // group that is sorted by comparing.
        Records r = records(5_000, 1_000, 1, 3, true, new Random(19));
        r.timestamps[7] = 0;
        sortsAsComparingDoes(new TimeOrder(), r);
        Records spread = records(200_000, 0, 1, 2, true, new Random(31));
        sortsAsComparingDoes(new TimeOrder(), spread);
    }
}

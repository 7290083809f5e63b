package io.bucketlog.bench;

import io.bucketlog.internal.read.TimeOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sorting one time slice of a merged bucket into read order ({@link TimeOrder}), against the
 * sort it replaced ({@link ComparisonTimeOrder}) in the same JVM. The slice is what the brigade
 * writes: 100,000 keys one after the other, each with its events in time order, timestamps in
 * nanoseconds anywhere in six hours, three writers. {@code radixSortReused} sorts with one sorter slice
 * after slice, as a scan does; {@code radixSortFresh} makes a sorter each time (its arrays allocated
 * anew). With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per slice.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TimeOrderBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class TimeOrderBenchmark {
    private static final long START = 1_700_000_000_000_000_000L;
    private static final long SIX_HOURS = 6 * 3_600_000_000_000L;
    private static final int KEYS = 100_000;

    @Param({"300000", "750000"})
    public int records;

    private long[] timestamps;
    private String[] writers;
    private long[] sequences;
    private final TimeOrder sorter = new TimeOrder();

    @Setup
    public void setUp() {
        Random random = new Random(41);
        timestamps = new long[records];
        writers = new String[records];
        sequences = new long[records];
        String[] ids = {"writer-a", "writer-b", "writer-c"};
        int perKey = 2 * records / KEYS - 1; // at most; records / KEYS on average
        int n = 0;
        for (int k = 0; k < KEYS && n < records; k++) {
            int events = Math.min(records - n, 1 + random.nextInt(perKey));
            if (k == KEYS - 1) {
                events = records - n;
            }
            for (int e = 0; e < events; e++) {
                timestamps[n + e] = START + (random.nextLong() & Long.MAX_VALUE) % SIX_HOURS;
            }
            Arrays.sort(timestamps, n, n + events);
            for (int e = 0; e < events; e++) {
                writers[n + e] = ids[random.nextInt(ids.length)];
                sequences[n + e] = n + e;
            }
            n += events;
        }
    }

    @Benchmark
    public int comparisonSort() {
        int[] order = ComparisonTimeOrder.order(timestamps, writers, sequences, records);
        return order[0] + order[records - 1];
    }

    @Benchmark
    public int radixSortReused() {
        int[] order = sorter.order(timestamps, writers, sequences, records);
        return order[0] + order[records - 1];
    }

    @Benchmark
    public int radixSortFresh() {
        int[] order = new TimeOrder().order(timestamps, writers, sequences, records);
        return order[0] + order[records - 1];
    }
}

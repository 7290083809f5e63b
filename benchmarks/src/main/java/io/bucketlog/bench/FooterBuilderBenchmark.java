package io.bucketlog.bench;

import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.FooterBuilder;
import java.util.SplittableRandom;
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
 * What the bucket writer pays per event for the footer's key table: one
 * {@link FooterBuilder#addEvent} of a random one of {@code keys} users (the logging harness keys
 * 10 000 users by the MDC), a block every 900 events, a new builder (a new bucket) every 2 M.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FooterBuilderBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FooterBuilderBenchmark {
    private static final int EVENTS_PER_BUCKET = 2_000_000;
    private static final int EVENTS_PER_BLOCK = 900;

    @Param({"10000"})
    public int keys;

    private String[] users;
    private int[] picks;
    private FooterBuilder footer;
    private int next;

    @Setup
    public void setUp() {
        users = new String[keys];
        for (int k = 0; k < keys; k++) {
            users[k] = "user-" + (100_000 + k * 7);
        }
        SplittableRandom rnd = new SplittableRandom(1);
        picks = new int[EVENTS_PER_BUCKET];
        for (int i = 0; i < picks.length; i++) {
            picks[i] = rnd.nextInt(keys);
        }
        footer = new FooterBuilder();
    }

    @Benchmark
    public int addEvent() {
        int i = next;
        if (i == EVENTS_PER_BUCKET) {
            footer = new FooterBuilder();
            i = 0;
        }
        footer.addEvent(users[picks[i]], 1_000_000_000L + i);
        if (i % EVENTS_PER_BLOCK == EVENTS_PER_BLOCK - 1) {
            footer.addBlock(new BlockEntry(i, 100, i, i, EVENTS_PER_BLOCK));
        }
        next = i + 1;
        return footer.blockCount();
    }
}

package io.bucketlog.bench;

import io.bucketlog.bench.harness.DiskUsage;
import io.bucketlog.EventFiller;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.WriterStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The writer API's append path end to end: a static filler writes a log-shaped event into a ring
 * slot; the bucket-writer thread encodes, compresses and hands blocks to the OS. With
 * {@code policy=block} every event is written, so the score is the whole pipeline's throughput;
 * with {@code drop} it is the producer side alone (excess events are dropped and counted). With
 * {@code -prof gc}, {@code gc.alloc.rate.norm} counts every thread, the writer's included.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar AppendBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AppendBenchmark {
    private static final String BODY = "order 1234567 processed for user user-100042 in 17 ms";
    private static final EventFiller<long[]> FILLER = (i, slot) -> {
        slot.key("user-100042");
        slot.timestampNanos(i[0]);
        slot.attribute("level", "INFO");
        slot.attribute("logger", "io.bucketlog.bench.Orders");
        slot.attribute("thread", "main");
        slot.bodyText().append(BODY);
    };

    @Param({"block", "drop"})
    public String policy;

    private Path dir;
    private Store store;
    private Writer writer;
    private final long[] now = new long[1];

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory("bucketlog-append");
        store = Store.open(dir);
        store.createStream("bench", StreamConfig.builder().bucketBytes(256L << 20).build());
        writer = store.writer(WriterOptions.builder()
                .ringFullPolicy(policy.equals("block") ? RingFullPolicy.BLOCK : RingFullPolicy.DROP)
                .closeOnJvmShutdown(false)
                .build());
        now[0] = System.currentTimeMillis() * 1_000_000L;
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        writer.close();
        WriterStats s = writer.stats();
        System.out.printf("%nappended=%d dropped=%d written=%d bytes=%d%n",
                s.appended(), s.dropped(), s.written(), s.bytesWritten());
        store.close();
        DiskUsage.delete(dir);
    }

    @Benchmark
    public boolean append() {
        now[0] += 1_000;
        return writer.append("bench", 300, FILLER, now);
    }
}

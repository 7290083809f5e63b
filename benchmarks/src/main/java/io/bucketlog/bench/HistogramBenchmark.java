package io.bucketlog.bench;

import io.bucketlog.LogAttributes;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.bench.harness.DiskUsage;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.Histogram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
 * The web viewer's events-over-time chart: the histogram of one day of a log stream of
 * {@code events} events (2 M by default), in 144 bins of 10 minutes, as {@code /api/histogram}
 * computes it with {@code Query.histogram}. {@code unfiltered} counts blocks from the buckets'
 * block tables; {@code unfilteredNewReader} does the same with a reader opened for the call (no
 * cached index or footer); {@code levelFiltered} must decode every event of the day.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar HistogramBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class HistogramBenchmark {
    private static final long DAY = 86_400_000_000_000L;
    private static final long BIN = 600_000_000_000L;

    @Param({"2000000"})
    public int events;

    private Path dir;
    private BucketlogReader reader;
    private long from;
    private long to;

    /** One day, ending an hour ago, of log events in time order, one writer, sealed buckets. */
    @Setup(Level.Trial)
    public void write() throws IOException {
        dir = Files.createTempDirectory("bucketlog-histogram");
        to = (System.currentTimeMillis() * 1_000_000L - 3_600_000_000_000L) / BIN * BIN;
        from = to - DAY;
        String[] levels = {"INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "DEBUG", "WARN", "INFO", "ERROR"};
        try (Store store = Store.open(dir)) {
            store.createStream("app", StreamConfig.builder().bucketBytes(64L << 20).build());
            try (Writer w = store.writer(WriterOptions.builder().ringFullPolicy(RingFullPolicy.BLOCK)
                    .closeOnJvmShutdown(false).build())) {
                long step = DAY / events;
                for (int i = 0; i < events; i++) {
                    w.append("app", "user-" + (i % 5000), from + i * step,
                            Map.of(LogAttributes.LEVEL, levels[i % levels.length],
                                    LogAttributes.LOGGER, "com.example.orders.OrderService",
                                    LogAttributes.THREAD, "worker-" + (i % 16)),
                            ("order " + i + " processed for user user-" + (i % 5000) + " in "
                                    + (i % 97) + " ms").getBytes(StandardCharsets.UTF_8));
                }
                if (!w.flush(Duration.ofMinutes(5))) {
                    throw new IllegalStateException("flush timed out");
                }
            }
        }
        reader = BucketlogReader.open(dir);
        Histogram h = reader.query("app").fromNanos(from).toNanos(to).histogram(BIN);
        System.out.printf("%nevents=%d bins=%d blocksCounted=%d blocksDecoded=%d%n",
                h.total(), h.counts().length, h.blocksCounted(), h.blocksDecoded());
        if (h.total() != events) {
            throw new IllegalStateException("the histogram counts " + h.total() + " of " + events);
        }
    }

    @TearDown(Level.Trial)
    public void delete() {
        reader.close();
        DiskUsage.delete(dir);
    }

    @Benchmark
    public Histogram unfiltered() {
        return reader.query("app").fromNanos(from).toNanos(to).histogram(BIN);
    }

    @Benchmark
    public Histogram unfilteredNewReader() {
        try (BucketlogReader fresh = BucketlogReader.open(dir)) {
            return fresh.query("app").fromNanos(from).toNanos(to).histogram(BIN);
        }
    }

    @Benchmark
    public Histogram levelFiltered() {
        return reader.query("app").fromNanos(from).toNanos(to).minLevel("WARN").histogram(BIN);
    }
}

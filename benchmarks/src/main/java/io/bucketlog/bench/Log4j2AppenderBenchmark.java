package io.bucketlog.bench;

import io.bucketlog.bench.harness.DiskUsage;
import io.bucketlog.WriterStats;
import io.bucketlog.log4j2.BucketlogAppender;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One Log4j2 logging call through the Bucketlog appender, in Log4j2's garbage-free mode (reusable
 * messages, thread-local buffers). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the
 * bytes allocated per logging call, summed over every thread of the JVM, the bucket-writer
 * thread included.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Log4j2AppenderBenchmark -f 1 -wi 2 -i 3 -r 2s -prof gc
 * </pre>
 *
 * <p>{@code policy=drop} is the default configuration: when the disk falls behind, events are
 * dropped (and counted) instead of slowing the caller. {@code policy=block} stores every event, so
 * it measures the whole path to the page cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dlog4j2.enableThreadlocals=true",
    "-Dlog4j2.enableDirectEncoders=true", "-Dlog4j2.garbagefreeThreadContextMap=true"})
public class Log4j2AppenderBenchmark {

    @Param({"drop", "block"})
    public String policy;

    private Path dir;
    private LoggerContext ctx;
    private Logger log;
    private BucketlogAppender appender;
    private final String user = "user-42";
    private final Integer orderId = 1_234_567;

    @Setup(Level.Trial)
    public void start() throws IOException, URISyntaxException {
        dir = Files.createTempDirectory("bucketlog-bench");
        System.setProperty("bucketlog.bench.dir", dir.toString());
        System.setProperty("bucketlog.bench.policy", policy);
        ctx = new LoggerContext("bench", null, Log4j2AppenderBenchmark.class
                .getResource("log4j2-appender-bench.xml").toURI());
        ctx.start();
        appender = ctx.getConfiguration().getAppender("store");
        if (appender == null) {
            throw new IllegalStateException("the Bucketlog appender did not start; see the status log");
        }
        log = ctx.getLogger("io.bucketlog.bench.Orders");
        ThreadContext.put("userId", user);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        ctx.stop();
        WriterStats s = appender.stats();
        System.out.printf("%nappended=%d dropped=%d written=%d bytes=%d%n",
                s.appended(), s.dropped(), s.written(), s.bytesWritten());
        ThreadContext.clearAll();
        DiskUsage.delete(dir);
    }

    @Benchmark
    public void infoWithTwoParameters() {
        log.info("order {} placed by {}", orderId, user);
    }
}

package io.bucketlog.bench.harness;

import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.TailIterator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Cross-process tail latency: this JVM tails a stream while another JVM ({@link TailWriterChild})
 * appends to it, stamping each event with the wall clock; latency is the wall-clock time at which
 * the tail delivers the event minus that stamp (same machine, same clock).
 *
 * <p>Arguments: {@code resultFile dir eventsPerSecond seconds}.
 */
public final class TailChild {
    static final String STREAM = "tail";

    private TailChild() {
    }

    static long wallNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public static void main(String[] args) throws Exception {
        Path resultFile = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        long expected = (long) rate * seconds;
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, StreamConfig.builder().bucketBytes(64L << 20).build());
        }
        Histogram h = Results.histogram();
        long received = 0;
        Process writer;
        try (BucketlogReader reader = BucketlogReader.open(dir);
             TailIterator tail = reader.tail(STREAM).iterator()) {
            writer = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    TailWriterChild.class.getName(), dir.toString(), args[2], args[3]))
                    .inheritIO().start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 30L);
            while (received < expected && System.nanoTime() < deadline) {
                Event e = tail.poll(Duration.ofMillis(100));
                if (e != null) {
                    long lat = wallNanos() - e.timestampNanos();
                    // Skip the first second: the writer JVM is still starting and interpreting.
                    if (received >= rate) {
                        h.recordValue(Math.max(0, lat));
                    }
                    received++;
                }
            }
        }
        if (!writer.waitFor(60, TimeUnit.SECONDS)) {
            writer.destroyForcibly();
            throw new IllegalStateException("the tail writer did not finish");
        }
        if (writer.exitValue() != 0) {
            throw new IllegalStateException("the tail writer failed: exit " + writer.exitValue());
        }
        new Results().put("produced", expected).put("persisted", received)
                .latencies("latency", h).write(resultFile);
    }
}

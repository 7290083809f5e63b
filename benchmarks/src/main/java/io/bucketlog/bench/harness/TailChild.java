package io.bucketlog.bench.harness;

import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.TailIterator;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Cross-process tail latency: this JVM tails a stream while another JVM ({@link TailWriterChild})
 * appends to it, stamping each event with the wall clock; latency is the wall-clock time at which
 * the tail delivers the event minus that stamp (same machine, same clock). On an object store the
 * two are two "hosts": each its own location string (its own spool), and both report the
 * requests their backend made.
 *
 * <p>Arguments: {@code resultFile tailLocation writerLocation eventsPerSecond seconds pollMillis};
 * the writer gets this JVM's {@code aws.*} system properties (the test server's credentials).
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
        String location = args[1];
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        Duration poll = Duration.ofMillis(Long.parseLong(args[5]));
        long expected = (long) rate * seconds;
        Path writerResults = resultFile.resolveSibling("writer.properties");
        Histogram h = Results.histogram();
        long received = 0;
        Process writer;
        Results results = new Results();
        try (Store store = Store.open(location)) {
            store.createStream(STREAM, StreamConfig.builder().bucketBytes(64L << 20).build());
            long tailStart;
            try (BucketlogReader reader = BucketlogReader.open(store);
                 TailIterator tail = reader.tail(STREAM).pollInterval(poll).iterator()) {
                List<String> command = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path")));
                for (String p : List.of("aws.accessKeyId", "aws.secretAccessKey")) {
                    if (System.getProperty(p) != null) {
                        command.add("-D" + p + "=" + System.getProperty(p));
                    }
                }
                command.addAll(List.of(TailWriterChild.class.getName(), args[2], args[3], args[4],
                        writerResults.toString()));
                writer = new ProcessBuilder(command).inheritIO().start();
                tailStart = System.nanoTime();
                long deadline = tailStart + TimeUnit.SECONDS.toNanos(seconds + 30L);
                while (received < expected && System.nanoTime() < deadline) {
                    // each call polls the store at once, so a timeout below the poll interval
                    // would poll more often than the tail is told to
                    Event e = tail.poll(poll.multipliedBy(2).plusMillis(100));
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
            results.put("tail.seconds", (System.nanoTime() - tailStart) / 1e9);
            S3Requests.report(store, results, "tail");
        }
        if (!writer.waitFor(60, TimeUnit.SECONDS)) {
            writer.destroyForcibly();
            throw new IllegalStateException("the tail writer did not finish");
        }
        if (writer.exitValue() != 0) {
            throw new IllegalStateException("the tail writer failed: exit " + writer.exitValue());
        }
        for (var e : read(writerResults).entrySet()) {
            results.put((String) e.getKey(), (String) e.getValue());
        }
        results.put("produced", expected).put("persisted", received).latencies("latency", h).write(resultFile);
    }

    private static Properties read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}

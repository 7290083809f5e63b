package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer in another JVM, started after the tail: every event arrives exactly once, including
 * those in buckets the writer opened (and rotated) after the tail started. The end-to-end delay
 * (writer's wall clock at append to tailer's wall clock at delivery) is measured and written to
 * {@code target/tail-latency.txt} for the record; it is not asserted.
 */
class TailAcrossProcessesTest {
    static final int COUNT = 3000;

    @TempDir
    Path dir;

    @Test
    void everyEventOfAnotherProcessArrivesExactlyOnce() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
        }
        List<Event> got = new ArrayList<>();
        long[] delays = new long[COUNT];
        try (BucketlogReader reader = BucketlogReader.open(dir);
             TailIterator tail = reader.tail("s").iterator()) {
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                    "-cp", System.getProperty("java.class.path"),
                    TailWriterProcess.class.getName(), dir.toString(), Integer.toString(COUNT), "300")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.log").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (got.size() < COUNT && System.nanoTime() < deadline) {
                Event e = tail.poll(Duration.ofMillis(200));
                if (e != null) {
                    Instant now = Instant.now();
                    long at = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                    String[] parts = e.bodyText().split(":");
                    int i = Integer.parseInt(parts[0]);
                    if (i >= 0 && i < COUNT) {
                        delays[i] = at - Long.parseLong(parts[1]);
                    }
                    got.add(e);
                }
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
            assertThat(tail.poll(Duration.ofMillis(500))).as("no extra event").isNull();
            assertThat(tail.corruptions()).isEmpty();
        }
        Set<Integer> seen = new HashSet<>();
        for (Event e : got) {
            assertThat(seen.add(Integer.parseInt(e.bodyText().split(":")[0])))
                    .as("duplicate %s", e.bodyText()).isTrue();
        }
        assertThat(seen).hasSize(COUNT).allMatch(i -> i >= 0 && i < COUNT);
        record(delays);
    }

    private static void record(long[] delays) throws IOException {
        String line = "tail end-to-end delay from another JVM (poll interval "
                + Tail.DEFAULT_POLL_INTERVAL + "): all " + summary(delays)
                + "; after the first 500 (warm-up) " + summary(Arrays.copyOfRange(delays, 500,
                delays.length)) + System.lineSeparator();
        System.out.print(line);
        Files.writeString(Path.of("target", "tail-latency.txt"), line, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static String summary(long[] delays) {
        long[] sorted = delays.clone();
        Arrays.sort(sorted);
        return String.format("n=%d p50 %.2f ms, p99 %.2f ms, max %.2f ms", sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }
}

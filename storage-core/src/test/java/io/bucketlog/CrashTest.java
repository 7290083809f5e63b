package io.bucketlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.read.BucketFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writer process with SIGKILL at random moments, over and over, on one store: what it
 * reported flushed must be readable exactly once, nothing damaged may come back, and the next
 * process carries on.
 */
class CrashTest {
    private static final int KILL_ROUNDS = 24;

    @TempDir
    Path dir;
    @TempDir
    Path logs;

    @Test
    void killedWritersLoseNothingFlushedAndRestartCleanly() throws Exception {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        Map<Integer, Long> flushed = new HashMap<>();
        int unsealedSeen = 0;
        for (int round = 0; round <= KILL_ROUNDS; round++) {
            boolean last = round == KILL_ROUNDS;
            Child child = Child.start(dir, logs, round, last ? "close" : "kill");
            if (last) {
                assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(child.process.exitValue()).as(child.stderr()).isZero();
                child.drain();
                assertThat(child.done.get()).isEqualTo(CrashChild.CLOSE_EVENTS);
                flushed.put(round, (long) CrashChild.CLOSE_EVENTS);
            } else {
                assertThat(child.firstFlush.await(30, TimeUnit.SECONDS)).as("child started; " + child.stderr()).isTrue();
                Thread.sleep(random.nextInt(700));
                child.process.destroyForcibly(); // SIGKILL on Linux
                child.process.waitFor(30, TimeUnit.SECONDS);
                child.drain();
                flushed.put(round, child.flushed.get());
            }
            assertThat(child.stderr()).as("round " + round + " (seed " + seed + ")").doesNotContain("writer error");
            unsealedSeen = Math.max(unsealedSeen, countUnsealed());
            verify(flushed, last, "round " + round + " (seed " + seed + ")");
        }
        assertThat(flushed.values()).as("every child flushed something").allMatch(n -> n > 0);
        assertThat(unsealedSeen).as("kills left crashed (unsealed) buckets behind").isPositive();
    }

    private void verify(Map<Integer, Long> flushed, boolean allClosed, String what) {
        try (Store store = Store.openExisting(List.of(dir));
             EventScan scan = store.scan(ScanRequest.all(CrashChild.STREAM))) {
            Map<Long, Integer> seen = new HashMap<>();
            long prevTs = Long.MIN_VALUE;
            while (scan.hasNext()) {
                Event e = scan.next();
                assertThat(Fixtures.intact(e)).as(what + ": intact " + e).isTrue();
                assertThat(e.timestampNanos()).as(what + ": in order").isGreaterThanOrEqualTo(prevTs);
                prevTs = e.timestampNanos();
                seen.merge(Fixtures.numberOf(e), 1, Integer::sum);
            }
            assertThat(scan.corruptions()).as(what + ": a kill is not damage").isEmpty();
            seen.forEach((n, count) -> assertThat(count).as(what + ": copies of event " + n).isEqualTo(1));
            flushed.forEach((round, n) -> {
                for (long i = 0; i < n; i++) {
                    assertThat(seen).as(what + ": flushed event " + i + " of round " + round)
                            .containsKey(round * CrashChild.ROUND + i);
                }
            });
            if (allClosed) {
                long fromLastRound = seen.keySet().stream()
                        .filter(n -> n / CrashChild.ROUND == flushed.size() - 1).count();
                assertThat(fromLastRound).isEqualTo(CrashChild.CLOSE_EVENTS);
            }
        }
    }

    private int countUnsealed() throws IOException {
        int n = 0;
        for (Path p : WriterTest.bucketFiles(dir)) {
            try (BucketFile f = BucketFile.open(TestObjects.object(p), StoreLayout.parseBucketName(p.getFileName().toString()), r -> { })) {
                if (!f.sealed()) {
                    n++;
                }
            }
        }
        return n;
    }

    /** A running {@link CrashChild} and what it printed. */
    private static final class Child {
        final Process process;
        final AtomicLong flushed = new AtomicLong();
        final AtomicLong done = new AtomicLong(-1);
        final CountDownLatch firstFlush = new CountDownLatch(1);
        final Thread reader;
        final Path errFile;

        private Child(Process process, Path errFile) {
            this.process = process;
            this.errFile = errFile;
            this.reader = new Thread(this::read, "crash-child-stdout");
            reader.start();
        }

        static Child start(Path dir, Path logs, int round, String mode) throws IOException {
            String java = ProcessHandle.current().info().command().orElse(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Path err = logs.resolve("child-" + round + ".err");
            Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                    dir.toString(), Integer.toString(round), mode)
                    .redirectError(err.toFile())
                    .start();
            return new Child(p, err);
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("F ")) {
                        flushed.set(Long.parseLong(line.substring(2)));
                        firstFlush.countDown();
                    } else if (line.startsWith("DONE ")) {
                        done.set(Long.parseLong(line.substring(5)));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // a line cut by the kill; what was read before stands
            }
        }

        void drain() throws InterruptedException {
            reader.join(30_000);
        }

        String stderr() {
            try {
                String s = Files.readString(errFile);
                return s.length() > 4000 ? s.substring(0, 4000) : s;
            } catch (IOException e) {
                return "(cannot read child stderr: " + e + ")";
            }
        }
    }

}

package io.bucketlog.brigade;

import static io.bucketlog.brigade.BrigadeFixture.CONFIG;
import static io.bucketlog.brigade.BrigadeFixture.MINUTE;
import static io.bucketlog.brigade.BrigadeFixture.STREAM;
import static io.bucketlog.brigade.BrigadeFixture.minuteAgo;
import static io.bucketlog.brigade.BrigadeFixture.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 7 of the brigade: a brigade process killed with SIGKILL at random moments. Before each
 * round more late events are written to the windows it compacts; after each kill the store must
 * be readable with every event exactly once and no damage, and at the end one more brigade
 * finishes the work. {@code -Dbrigade.killRounds=N} runs more rounds (default 20).
 */
class BrigadeCrashTest {
    private static final int ROUNDS = Integer.getInteger("brigade.killRounds", 20);

    @TempDir
    Path dir;
    @TempDir
    Path logs;

    @Test
    void aBrigadeKilledAtRandomMomentsLeavesEveryEventExactlyOnceAndTheNextRunFinishes()
            throws Exception {
        killAtRandomMoments(false);
    }

    @Test
    void aBrigadeRollingUpAcrossWindowsKilledAtRandomMomentsLeavesEveryEventOnce()
            throws Exception {
        killAtRandomMoments(true);
    }

    /** @param wide whether the child rolls spans wider than the index window up */
    private void killAtRandomMoments(boolean wide) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Set<String> written = new HashSet<>();
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, CONFIG);
        }
        int kills = 0;
        java.util.concurrent.atomic.AtomicInteger merges = new java.util.concurrent.atomic.AtomicInteger();
        for (int round = 0; round < ROUNDS; round++) {
            try (Store store = Store.open(dir); Writer w = store.writer(options())) {
                for (int i = 0; i < 200; i++) {
                    long ts = minuteAgo(2 + random.nextInt(6)) + (long) (random.nextDouble() * MINUTE);
                    String body = "r" + round + "-" + i;
                    w.append(STREAM, "k" + random.nextInt(9), ts, Map.of("round", "" + round),
                            body.getBytes(StandardCharsets.UTF_8));
                    written.add(body);
                }
                assertThat(w.flush(Duration.ofSeconds(20))).isTrue();
            }
            Path err = logs.resolve("child-" + round + ".err");
            Process child = start(err, wide);
            CountDownLatch started = new CountDownLatch(1);
            Thread out = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(
                        child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.equals("STARTED")) {
                            started.countDown();
                        } else if (line.startsWith("PASS ")) {
                            merges.addAndGet(Integer.parseInt(line.substring(5)));
                        }
                    }
                } catch (IOException cut) {
                    // the kill cuts the pipe
                }
            });
            out.start();
            assertThat(started.await(60, TimeUnit.SECONDS)).as("child started: " + Files.readString(err)).isTrue();
            Thread.sleep(random.nextInt(1200));
            if (child.isAlive()) {
                kills++;
            }
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            out.join(10_000);
            assertThat(Files.readString(err)).as("round " + round).doesNotContain("brigade error")
                    .doesNotContain("Exception");
            check(written, "after kill " + round + " (seed " + seed + ")");
        }
        assertThat(kills).as("the child was alive at each kill").isEqualTo(ROUNDS);
        assertThat(merges.get()).as("the children committed merges between kills").isPositive();
        // A child killed inside a claim leaves it to expire after its claimTtl; the next run
        // here comes as if after that (else it skips the unit whenever the last kill hit a claim).
        Clock afterClaimsExpired = Clock.offset(Clock.systemUTC(),
                (wide ? BrigadeCrashChild.ROLLING_UP_AHEAD : Duration.ZERO)
                        .plus(BrigadeCrashChild.CLAIM_TTL).plusSeconds(1));
        try (Store store = Store.open(dir); Brigade brigade = (wide ? BrigadeCrashChild.rollingUp(store)
                : BrigadeCrashChild.crashing(store)).clock(afterClaimsExpired).build()) {
            BrigadeSummary s = brigade.runOnce();
            for (int pass = 0; pass < 10 && (s.merges() > 0 || s.inputsDeleted() > 0); pass++) {
                s = brigade.runOnce();
            }
            assertThat(s.merges()).as("the next run finished the work").isZero();
            if (wide) {
                assertThat(BrigadeFixture.bucketFiles(dir)).as("only roll-ups are left").isNotEmpty()
                        .allSatisfy(p -> assertThat(p.getParent().getFileName().toString())
                                .isEqualTo("rollup"));
            }
            for (long window : List.of(minuteAgo(7), minuteAgo(2))) {
                WindowListing w = BrigadeFixture.listing(store, BrigadeFixture.indexWindowOf(window));
                assertThat(w.buckets()).allSatisfy(b -> assertThat(b.sealed()).as(b.fileName()).isTrue());
                assertThat(w.buckets()).allSatisfy(b -> assertThat(WorkPlan.mergedOutputs(w))
                        .as("only merged buckets are left: " + b.fileName()).contains(b.ref()));
            }
        }
        check(written, "at the end (seed " + seed + ")");
    }

    private Process start(Path err, boolean wide) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), BrigadeCrashChild.class.getName(),
                dir.toString(), wide ? "wide" : "windows")
                .redirectError(err.toFile())
                .start();
    }

    private void check(Set<String> written, String what) {
        Map<String, Integer> seen = new HashMap<>();
        try (Store store = Store.openExisting(List.of(dir));
             EventScan scan = store.scan(ScanRequest.all(STREAM))) {
            while (scan.hasNext()) {
                Event e = scan.next();
                seen.merge(e.bodyText(), 1, Integer::sum);
            }
            assertThat(scan.corruptions()).as(what + ": a kill is not damage").isEmpty();
        }
        seen.forEach((body, n) -> assertThat(n).as(what + ": copies of " + body).isEqualTo(1));
        assertThat(seen.keySet()).as(what).isEqualTo(written);
    }
}

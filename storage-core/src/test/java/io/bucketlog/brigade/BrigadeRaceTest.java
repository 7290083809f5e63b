package io.bucketlog.brigade;

import static io.bucketlog.brigade.BrigadeFixture.CONFIG;
import static io.bucketlog.brigade.BrigadeFixture.MINUTE;
import static io.bucketlog.brigade.BrigadeFixture.STREAM;
import static io.bucketlog.brigade.BrigadeFixture.bucketFiles;
import static io.bucketlog.brigade.BrigadeFixture.minuteAgo;
import static io.bucketlog.brigade.BrigadeFixture.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 3 and 7 of the brigade: several brigades racing each other while writers append late
 * events to windows being compacted and readers scan. The model is the set of events whose
 * writer's flush returned before a scan began: every scan returns each of them exactly once and
 * nothing twice, whatever the brigades are doing, and once everything settles the windows are
 * compacted. Claims expire at once, so brigades also race on the commits themselves.
 */
class BrigadeRaceTest {
    private static final long RUN_MILLIS = Long.getLong("brigade.raceMillis", 2000);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} brigades")
    @ValueSource(ints = {2, 3})
    void racingBrigadesWritersAndReadersSeeEveryEventExactlyOnce(int brigades) throws Exception {
        long seed = System.nanoTime();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<BrigadeSummary> summaries = new CopyOnWriteArrayList<>();
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, CONFIG);
            List<Thread> threads = new ArrayList<>();
            threads.add(new Thread(() -> {
                Random r = new Random(seed);
                for (int batch = 0; !stop.get(); batch++) {
                    List<String> bodies = new ArrayList<>();
                    try (Writer w = store.writer(options())) {
                        for (int i = 0; i < 40; i++) {
                            // late events for the minutes 2 to 9 ago: windows the brigades compact
                            long ts = minuteAgo(2 + r.nextInt(8)) + (long) (r.nextDouble() * MINUTE);
                            String body = "b" + batch + "-" + i;
                            w.append(STREAM, "k" + r.nextInt(5), ts, Map.of(),
                                    body.getBytes(StandardCharsets.UTF_8));
                            bodies.add(body);
                        }
                        assertThat(w.flush(Duration.ofSeconds(20))).isTrue();
                    }
                    acked.addAll(bodies);
                }
            }, "writer"));
            for (int reader = 0; reader < 2; reader++) {
                threads.add(new Thread(() -> {
                    while (!stop.get()) {
                        check(store, Set.copyOf(acked), "a scan during the race (seed " + seed + ")");
                    }
                }, "reader-" + reader));
            }
            for (int b = 0; b < brigades; b++) {
                threads.add(new Thread(() -> {
                    try (Brigade brigade = racer(store).build()) {
                        while (!stop.get()) {
                            summaries.add(brigade.runOnce());
                        }
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }, "brigade-" + b));
            }
            for (Thread t : threads) {
                t.setUncaughtExceptionHandler((th, e) -> failures.add(e));
                t.start();
            }
            Thread.sleep(RUN_MILLIS);
            stop.set(true);
            for (Thread t : threads) {
                t.join(60_000);
            }
            assertThat(failures).as("seed " + seed).isEmpty();
            assertThat(summaries.stream().mapToInt(BrigadeSummary::merges).sum()).as("merges happened").isPositive();

            // Settle: past the grace period, passes until nothing is left to do.
            int before = bucketFiles(dir).size();
            Thread.sleep(1100);
            try (Brigade brigade = racer(store).build()) {
                for (int pass = 0; pass < 10; pass++) {
                    BrigadeSummary s = brigade.runOnce();
                    if (s.merges() == 0 && s.inputsDeleted() == 0) {
                        break;
                    }
                    Thread.sleep(1100);
                }
            }
            check(store, Set.copyOf(acked), "settled (seed " + seed + ")");
            assertThat(bucketFiles(dir).size()).as("compacted").isLessThan(before);
        }
    }

    private static Brigade.Builder racer(Store store) {
        return Brigade.builder(store).clock(Clock.systemUTC()).lateness(Duration.ZERO)
                .rollUpAfter(null).grace(Duration.ofSeconds(1)).claimTtl(Duration.ZERO)
                .errors((m, c) -> {
                    throw new AssertionError(m, c);
                });
    }

    /** Every acknowledged event exactly once, nothing twice, nothing damaged. */
    private static void check(Store store, Set<String> acked, String what) {
        Map<String, Integer> seen = new HashMap<>();
        try (EventScan scan = store.scan(ScanRequest.all(STREAM))) {
            while (scan.hasNext()) {
                Event e = scan.next();
                seen.merge(e.bodyText(), 1, Integer::sum);
            }
            assertThat(scan.corruptions()).as(what).isEmpty();
        }
        seen.forEach((body, n) -> assertThat(n).as(what + ": copies of " + body).isEqualTo(1));
        for (String body : acked) {
            assertThat(seen).as(what + ": acknowledged event").containsKey(body);
        }
    }
}

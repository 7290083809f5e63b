package io.bucketlog.brigade;

import static io.bucketlog.brigade.BrigadeFixture.CONFIG;
import static io.bucketlog.brigade.BrigadeFixture.MINUTE;
import static io.bucketlog.brigade.BrigadeFixture.STREAM;
import static io.bucketlog.brigade.BrigadeFixture.minuteAgo;
import static io.bucketlog.brigade.BrigadeFixture.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Direction;
import io.bucketlog.Event;
import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model check of queries through compaction: random writes of late events, brigade passes with
 * merges, roll-ups (of an index window and wider, into the roll-up area) and deletions after the
 * grace period at random points, and random queries
 * (all keys or one, any range, either direction) compared with a plain list of what was written.
 * Every event has its own timestamp, so the model's order is the store's.
 */
class BrigadeModelTest {
    private static final int STEPS = Integer.getInteger("brigade.modelSteps", 50);
    /** Events lie in the last three hours: several index windows, more than one roll-up span. */
    private static final int SPAN_MINUTES = 180;

    @TempDir
    Path dir;

    private record Written(String key, long ts, String body) {
    }

    @RepeatedTest(2)
    void queriesAgreeWithTheModelWhateverTheBrigadeHasDone() throws Exception {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        StepClock clock = new StepClock();
        List<Written> model = new ArrayList<>();
        long unique = 0;
        int merges = 0;
        int deleted = 0;
        try (Store store = Store.open(dir);
             Brigade brigade = BrigadeFixture.brigade(store, clock)
                     .rollUpAfter(Duration.ofMinutes(30 + r.nextInt(60)))
                     // and wider: two-hour spans from some age on, then sometimes four-hour ones
                     .rollUp(Duration.ofHours(2), Duration.ofMinutes(r.nextInt(90)))
                     .rollUp(Duration.ofHours(r.nextBoolean() ? 4 : 3), Duration.ofMinutes(r.nextInt(120)))
                     .targetBytes(8192 << r.nextInt(3)).build()) {
            store.createStream(STREAM, CONFIG);
            for (int step = 0; step < STEPS; step++) {
                String what = "step " + step + " (seed " + seed + ")";
                switch (r.nextInt(4)) {
                    case 0 -> {
                        try (Writer w = store.writer(options())) {
                            for (int i = r.nextInt(60); i >= 0; i--) {
                                long ts = minuteAgo(2 + r.nextInt(SPAN_MINUTES))
                                        + r.nextInt(59) * 1_000_000_000L
                                        + (++unique);
                                Written e = new Written("k" + r.nextInt(8), ts, "e" + unique);
                                w.append(STREAM, e.key, ts, Map.of(), e.body.getBytes(StandardCharsets.UTF_8));
                                model.add(e);
                            }
                            assertThat(w.flush(Duration.ofSeconds(20))).isTrue();
                        }
                    }
                    case 1 -> {
                        BrigadeSummary s = brigade.runOnce();
                        merges += s.merges();
                        deleted += s.inputsDeleted();
                    }
                    case 2 -> clock.advance(Duration.ofMinutes(r.nextInt(15)));
                    default -> {
                        String key = r.nextBoolean() ? null : "k" + r.nextInt(8);
                        long from = minuteAgo(SPAN_MINUTES + 5)
                                + (long) (r.nextDouble() * SPAN_MINUTES * MINUTE);
                        long to = from + (long) (r.nextDouble() * 20 * MINUTE);
                        Direction d = r.nextBoolean() ? Direction.FORWARD : Direction.BACKWARD;
                        check(store, model, new ScanRequest(STREAM, key, from, to, d), what);
                    }
                }
            }
            assertThat(merges).as("the brigade merged (seed " + seed + ")").isPositive();
            clock.advance(Duration.ofMinutes(15)); // past every commit's grace
            deleted += brigade.runOnce().inputsDeleted();
            assertThat(deleted).as("inputs were deleted (seed " + seed + ")").isPositive();
            check(store, model, ScanRequest.all(STREAM), "at the end (seed " + seed + ")");
            // Hours later every span is due for its widest roll-up: passes, each followed by a
            // query, until nothing is left to do.
            for (int pass = 0; pass < 8; pass++) {
                clock.advance(Duration.ofHours(2));
                BrigadeSummary s = brigade.runOnce();
                check(store, model, ScanRequest.all(STREAM), "rolled up, pass " + pass + " (seed "
                        + seed + ")");
                String key = "k" + r.nextInt(8);
                long from = minuteAgo(SPAN_MINUTES + 5) + (long) (r.nextDouble() * SPAN_MINUTES * MINUTE);
                check(store, model, new ScanRequest(STREAM, key, from, from + 20 * MINUTE,
                        r.nextBoolean() ? Direction.FORWARD : Direction.BACKWARD), "rolled up, pass "
                        + pass + ", key " + key + " (seed " + seed + ")");
                if (s.merges() == 0 && s.inputsDeleted() == 0) {
                    break;
                }
            }
            try (var files = java.nio.file.Files.list(dir.resolve(STREAM).resolve("rollup"))) {
                assertThat(files.filter(p -> p.toString().endsWith(".bkt")).count())
                        .as("wider roll-ups (seed " + seed + ")").isPositive();
            }
        }
    }

    private static void check(Store store, List<Written> model, ScanRequest q, String what) {
        Comparator<Written> order = Comparator.comparingLong(Written::ts);
        List<String> expected = model.stream()
                .filter(e -> q.key() == null || e.key.equals(q.key()))
                .filter(e -> e.ts >= q.fromNanos() && e.ts < q.toNanos())
                .sorted(q.direction() == Direction.FORWARD ? order : order.reversed())
                .map(Written::body).toList();
        List<String> got = new ArrayList<>();
        try (EventScan scan = store.scan(q)) {
            while (scan.hasNext()) {
                Event e = scan.next();
                got.add(e.bodyText());
            }
            assertThat(scan.corruptions()).as(what).isEmpty();
        }
        assertThat(got).as(what + ": " + q).isEqualTo(expected);
    }
}

package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.brigade.Brigade;
import io.bucketlog.brigade.BrigadeSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 2 of the brigade: a backfill of 10,000 late events over 10,000 past hourly windows (one
 * late bucket per day before compaction) ends as a handful of roll-ups wider than the index
 * window, and queries, latest-by-key and a cursor resume each return every event exactly once,
 * before and after; a late event for a rolled-up range is read beside the roll-up and merged
 * into it by the next pass.
 */
class RolledUpBackfillTest {
    private static final String STREAM = "crm";
    private static final long HOUR = 3_600L * TestStore.SECOND;
    private static final int EVENTS = 10_000;
    private static final int KEYS = 40;

    @TempDir
    Path dir;

    /** What was written: each event's key, time and body, by body. */
    private record Written(String key, long ts, String body) {
    }

    @Test
    void aBackfillOverTenThousandHourlyWindowsEndsAsAHandfulOfFilesWithEveryEventOnce()
            throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long thisHour = Math.floorDiv(TestStore.nowNanos(), HOUR) * HOUR;
        List<Written> written = new ArrayList<>();
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, StreamConfig.builder().bucketBytes(1 << 20).build());
            try (Writer w = store.writer(TestStore.writerOptions(64))) {
                for (int i = 0; i < EVENTS; i++) {
                    // one event in each of the 10,000 hours before the last two
                    long ts = thisHour - (i + 2) * HOUR + (long) (random.nextDouble() * HOUR);
                    Written e = new Written("u" + random.nextInt(KEYS), ts, "e" + i);
                    w.append(STREAM, e.key(), ts, Map.of(), e.body().getBytes(StandardCharsets.UTF_8));
                    written.add(e);
                }
                TestStore.flush(w);
            }
            int before = buckets().size();
            assertThat(before).as("one late bucket per day, seed " + seed).isGreaterThan(400);
            checkReads(store, written, seed);

            // Two years on, everything is old: days, then 30-day spans, then 360-day spans.
            Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(800));
            try (Brigade brigade = brigade(store, later)) {
                compactFully(brigade);
            }
            List<Path> after = buckets();
            assertThat(after).as("roll-ups left of " + before + " buckets, seed " + seed)
                    .hasSizeLessThanOrEqualTo(3)
                    .allSatisfy(p -> assertThat(p.getParent().getFileName().toString())
                            .isEqualTo("rollup"));
            assertThat(allFiles()).as("every object of the stream").hasSizeLessThanOrEqualTo(16);
            checkReads(store, written, seed);

            // A late event in the rolled-up range lands in its own window, read with the roll-up.
            long old = thisHour - 5_000 * HOUR + HOUR / 2;
            try (Writer w = store.writer(TestStore.writerOptions(64))) {
                w.append(STREAM, "u1", old, Map.of(), "late".getBytes(StandardCharsets.UTF_8));
                TestStore.flush(w);
            }
            written.add(new Written("u1", old, "late"));
            assertThat(buckets()).hasSize(after.size() + 1);
            checkReads(store, written, seed);
            try (Brigade brigade = brigade(store, later)) {
                compactFully(brigade);
            }
            assertThat(buckets()).as("merged into its roll-up by the next passes")
                    .hasSize(after.size());
            checkReads(store, written, seed);
        }
    }

    private static Brigade brigade(Store store, Clock clock) {
        // No grace and claims that expire at once (one brigade): what is left is what stays.
        return Brigade.builder(store).clock(clock).grace(Duration.ZERO).claimTtl(Duration.ZERO)
                .rollUp(Duration.ofDays(30), Duration.ofDays(1))
                .rollUp(Duration.ofDays(360), Duration.ofDays(1)).errors((m, c) -> {
                    throw new AssertionError(m, c);
                }).build();
    }

    /** Passes until one changes nothing (the cleanup of a roll-up's inputs takes a pass each). */
    private static void compactFully(Brigade brigade) throws IOException {
        for (int pass = 0; pass < 10; pass++) {
            BrigadeSummary s = brigade.runOnce();
            assertThat(s.damage()).isEmpty();
            assertThat(s.failures()).isEmpty();
            if (s.merges() == 0 && s.rollUps() == 0 && s.inputsDeleted() == 0) {
                return;
            }
        }
        throw new AssertionError("the brigade did not converge in 10 passes");
    }

    private void checkReads(Store store, List<Written> written, long seed) {
        Set<String> corruptions = new HashSet<>();
        try (BucketlogReader reader = BucketlogReader.builder().store(store).jmx(false)
                .onCorruption(r -> corruptions.add(r.toString())).build()) {
            List<Event> all = reader.query(STREAM).list();
            assertThat(bodies(all)).as("a query, seed " + seed)
                    .containsExactlyInAnyOrderElementsOf(written.stream().map(Written::body).toList());
            assertThat(all).extracting(Event::timestampNanos).isSorted();
            assertThat(new HashSet<EventId>(all.stream().map(Event::id).toList())).hasSize(all.size());

            for (String key : List.of("u0", "u1", "u17")) {
                List<String> expected = written.stream().filter(e -> e.key().equals(key))
                        .sorted(Comparator.comparingLong(Written::ts).reversed()).limit(25)
                        .map(Written::body).toList();
                assertThat(bodies(reader.latest(STREAM, key, 25))).as("latest of " + key)
                        .containsExactlyElementsOf(expected);
            }

            List<Event> resumed = new ArrayList<>();
            Cursor cursor = null;
            while (true) {
                Query q = reader.query(STREAM).limit(1_237);
                List<Event> page = (cursor == null ? q : q.after(cursor)).list();
                if (page.isEmpty()) {
                    break;
                }
                resumed.addAll(page);
                cursor = Cursor.of(page.get(page.size() - 1));
            }
            assertThat(resumed).as("pages resumed from cursors").isEqualTo(all);
        }
        assertThat(corruptions).isEmpty();
    }

    private static List<String> bodies(List<Event> events) {
        return events.stream().map(e -> new String(e.body(), StandardCharsets.UTF_8)).toList();
    }

    private List<Path> buckets() throws IOException {
        return allFiles().stream().filter(p -> p.toString().endsWith(".bkt")).toList();
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve(STREAM))) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("stream.conf")).toList();
        }
    }
}

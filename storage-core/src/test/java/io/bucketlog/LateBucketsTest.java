package io.bucketlog;

import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.internal.store.StoreLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events for many old windows make a bounded number of files: one late bucket per index window
 * (a day by default) per writer, instead of one bucket per event, and readers find all of them.
 */
class LateBucketsTest {
    private static final int EVENTS = Integer.getInteger("bucketlog.lateEvents", 100_000);
    private static final long DAY = 24 * Fixtures.HOUR;

    @TempDir
    Path dir;

    @Test
    void randomTimestampsOverThePastYearMakeAtMostTwoFilesPerDay() throws IOException {
        long now = nowNanos();
        Random random = new Random(11);
        Set<Long> days = new HashSet<>();
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(64 << 20).build());
            // A late bucket idle for sealGrace seals, and the next event of its day opens another: a
            // loaded machine that stalls this process for seconds would make that happen here, so
            // the grace is longer than the run; idle sealing has tests of its own.
            try (Writer w = store.writer(options().ringFullPolicy(RingFullPolicy.BLOCK)
                    .sealGrace(Duration.ofMinutes(30)).build())) {
                for (int i = 0; i < EVENTS; i++) {
                    long ts = now - 2 * DAY - (long) (random.nextDouble() * 365 * DAY);
                    days.add(Math.floorDiv(ts, DAY));
                    byte[] body = ByteBuffer.allocate(8).putLong(i).array();
                    assertThat(w.append("s", "k" + i % 100, ts, Map.of(), body)).isTrue();
                }
                flush(w);
                assertThat(w.stats().written()).isEqualTo(EVENTS);
            }
            List<Path> buckets;
            long indexes;
            try (Stream<Path> files = Files.walk(dir.resolve("s"))) {
                List<Path> all = files.filter(Files::isRegularFile).toList();
                buckets = all.stream().filter(p -> p.toString().endsWith(".bkt")).toList();
                indexes = all.stream().filter(p -> p.toString().endsWith(".idx")).count();
            }
            assertThat(buckets).hasSize(days.size()).allSatisfy(p -> assertThat(
                    StoreLayout.parseBucketName(p.getFileName().toString()).late()).isTrue());
            assertThat(indexes).isEqualTo(days.size());

            Set<Long> seen = new HashSet<>();
            try (EventScan scan = store.scan(ScanRequest.all("s"))) {
                scan.forEachRemaining(e -> assertThat(seen.add(ByteBuffer.wrap(e.body()).getLong()))
                        .as("each event once").isTrue());
                assertThat(scan.corruptions()).isEmpty();
            }
            assertThat(seen).hasSize(EVENTS);
            // A narrow query inside one day finds its events in the day's late bucket.
            long someDay = days.iterator().next() * DAY;
            long inDay;
            try (EventScan scan = store.scan(new ScanRequest("s", null, someDay + 3 * Fixtures.HOUR,
                    someDay + 4 * Fixtures.HOUR, Direction.FORWARD))) {
                inDay = 0;
                while (scan.hasNext()) {
                    Event e = scan.next();
                    assertThat(e.timestampNanos()).isBetween(someDay + 3 * Fixtures.HOUR,
                            someDay + 4 * Fixtures.HOUR - 1);
                    inDay++;
                }
            }
            assertThat(inDay).isPositive();
        }
    }
}

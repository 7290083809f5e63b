package io.bucketlog;

import static io.bucketlog.Fixtures.HOUR;
import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first read path: order, merging across writers and buckets, and pruning. */
class ScanTest {
    @TempDir
    Path dir;

    private static final Comparator<Event> ORDER =
            Comparator.comparingLong(Event::timestampNanos).thenComparing(Event::id);

    private record Scanned(List<Event> events, ScanStats stats) {
    }

    private static Scanned scan(Store store, ScanRequest r) {
        List<Event> out = new ArrayList<>();
        try (EventScan s = store.scan(r)) {
            s.forEachRemaining(out::add);
            assertThat(s.corruptions()).isEmpty();
            assertThat(s.stats().eventsReturned()).isEqualTo(out.size());
            return new Scanned(out, s.stats());
        }
    }

    @Test
    void mergesWritersAndSealedAndOpenBucketsInOrderBothWays() {
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(8192).blockBytes(1024)
                    .bucketWidth(Duration.ofMinutes(30)).indexWindow(Duration.ofHours(2)).build());
            long base = nowNanos() - 5 * HOUR;
            Writer open = store.writer(options().build());
            try (Writer sealed = store.writer(options().build())) {
                for (int i = 0; i < 2000; i++) {
                    long ts = base + (i * 7919L % 2000) * (5 * HOUR / 2000); // scattered over 5 h
                    Writer w = i % 2 == 0 ? sealed : open;
                    w.append("s", "k" + i % 3, i % 10 == 0 ? base + HOUR : ts, Map.of(), body(i, 50)); // ties
                }
                flush(open);
            }
            try {
                List<Event> fwd = scan(store, ScanRequest.all("s")).events;
                assertThat(fwd).hasSize(2000).isSortedAccordingTo(ORDER).allMatch(Fixtures::intact);
                List<Event> back = scan(store, new ScanRequest("s", null, 0, Long.MAX_VALUE, Direction.BACKWARD)).events;
                assertThat(back).hasSize(2000).isSortedAccordingTo(ORDER.reversed());
                long from = base + HOUR + HOUR / 3;
                long to = base + 3 * HOUR + 7;
                Scanned range = scan(store, new ScanRequest("s", null, from, to, Direction.FORWARD));
                assertThat(range.events).extracting(Event::id).containsExactlyElementsOf(
                        fwd.stream().filter(e -> e.timestampNanos() >= from && e.timestampNanos() < to)
                                .map(Event::id).toList());
                Scanned k1 = scan(store, new ScanRequest("s", "k1", from, to, Direction.BACKWARD));
                assertThat(k1.events).extracting(Event::id).containsExactlyElementsOf(
                        back.stream().filter(e -> e.key().equals("k1") && e.timestampNanos() >= from
                                && e.timestampNanos() < to).map(Event::id).toList());
                assertThat(range.stats.bucketsOpened()).isLessThan(scan(store, ScanRequest.all("s")).stats.bucketsOpened());
            } finally {
                open.close();
            }
        }
    }

    @Test
    void keyLookupsAndTimeRangesOpenFewerBucketsAndBlocksThanAFullScan() {
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(8192).blockBytes(1024).build());
            long base = nowNanos() - 2 * HOUR;
            try (Writer w = store.writer(options().build())) {
                // keys arrive in runs, so most buckets hold one or two keys
                for (int i = 0; i < 4000; i++) {
                    w.append("s", "user-" + i / 200, base + i * 1_000_000L, Map.of(), body(i, 80));
                }
            }
            Scanned all = scan(store, ScanRequest.all("s"));
            assertThat(all.events).hasSize(4000);
            Scanned one = scan(store, new ScanRequest("s", "user-7", 0, Long.MAX_VALUE, Direction.FORWARD));
            assertThat(one.events).hasSize(200).allMatch(e -> e.key().equals("user-7"));
            assertThat(one.stats.bucketsOpened()).isLessThan(all.stats.bucketsOpened() / 4);
            assertThat(one.stats.bucketsSkipped()).isPositive();
            assertThat(one.stats.blocksRead()).isLessThan(all.stats.blocksRead() / 4);
            assertThat(one.stats.bytesRead()).isLessThan(all.stats.bytesRead() / 4);
            Scanned absent = scan(store, new ScanRequest("s", "nobody", 0, Long.MAX_VALUE, Direction.FORWARD));
            assertThat(absent.events).isEmpty();
            assertThat(absent.stats.blocksRead()).isLessThan(all.stats.blocksRead() / 10);
            long from = base + 1000 * 1_000_000L;
            Scanned slice = scan(store, new ScanRequest("s", null, from, from + 200 * 1_000_000L, Direction.FORWARD));
            assertThat(slice.events).hasSize(200);
            assertThat(slice.stats.blocksRead()).isLessThan(all.stats.blocksRead() / 4);
            Scanned none = scan(store, new ScanRequest("s", null, base - 10 * HOUR, base - 9 * HOUR, Direction.FORWARD));
            assertThat(none.events).isEmpty();
            assertThat(none.stats.bucketsOpened()).isZero();
        }
    }

    @Test
    void stoppingEarlyLeavesLaterWindowsUntouched() {
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(8192)
                    .bucketWidth(Duration.ofHours(1)).indexWindow(Duration.ofHours(1)).build());
            long base = nowNanos() - 6 * HOUR;
            try (Writer w = store.writer(options().build())) {
                for (int i = 0; i < 60; i++) {
                    w.append("s", "k", base + i * (HOUR / 10), Map.of(), body(i, 20));
                }
            }
            try (EventScan s = store.scan(ScanRequest.all("s"))) {
                assertThat(Fixtures.numberOf(s.next())).isZero();
                assertThat(s.stats().bucketsOpened()).isEqualTo(1);
            }
        }
    }
}

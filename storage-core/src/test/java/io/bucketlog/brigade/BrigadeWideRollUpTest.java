package io.bucketlog.brigade;

import static io.bucketlog.brigade.BrigadeFixture.MINUTE;
import static io.bucketlog.brigade.BrigadeFixture.STREAM;
import static io.bucketlog.brigade.BrigadeFixture.bucketFiles;
import static io.bucketlog.brigade.BrigadeFixture.ids;
import static io.bucketlog.brigade.BrigadeFixture.minuteAgo;
import static io.bucketlog.brigade.BrigadeFixture.readAll;
import static io.bucketlog.brigade.BrigadeFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.inspect.StoreInspector;
import io.bucketlog.inspect.WindowInfo;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roll-ups wider than the index window (four hours of a stream with hour index windows): one
 * commit in the roll-up area superseding buckets of several window directories. Every step of it
 * interrupted, two brigades racing for it, and verify seeing a roll-up damaged or misplaced.
 */
class BrigadeWideRollUpTest {
    /** Minute buckets in hour windows; blocks as large as the buckets, so a merge has few steps. */
    static final StreamConfig CONFIG = StreamConfig.builder().bucketBytes(64 << 10)
            .blockBytes(64 << 10).bucketWidth(Duration.ofMinutes(1))
            .indexWindow(Duration.ofHours(1)).build();

    @TempDir
    Path dir;

    /** A day later: every four-hour span of the events has ended. */
    private static StepClock dayLater() {
        StepClock clock = new StepClock();
        clock.advance(Duration.ofDays(1));
        return clock;
    }

    private static Brigade.Builder rollingUp(Store store, StepClock clock) {
        return BrigadeFixture.brigade(store, clock).grace(Duration.ZERO).claimTtl(Duration.ZERO)
                .abandonAfter(Duration.ZERO).targetBytes(1 << 20)
                .rollUpAfter(Duration.ofMinutes(30)).rollUp(Duration.ofHours(4), Duration.ZERO);
    }

    /** Events of two writers over the last six hours, in about as many window directories. */
    private static void writeSixHours(Store store) {
        store.createStream(STREAM, CONFIG);
        long from = minuteAgo(6 * 60);
        write(store, from, 6 * 60 * MINUTE - 2 * MINUTE, 24, "a");
        write(store, from + 7 * MINUTE, 5 * 60 * MINUTE, 12, "b");
    }

    /** Passes until one changes nothing. */
    private static void compactFully(Brigade brigade) throws IOException {
        for (int pass = 0; pass < 10; pass++) {
            BrigadeSummary s = brigade.runOnce();
            assertThat(s.damage()).isEmpty();
            assertThat(s.failures()).isEmpty();
            if (s.merges() == 0 && s.inputsDeleted() == 0) {
                return;
            }
        }
        throw new AssertionError("the brigade did not converge in 10 passes");
    }

    private static List<Path> rollUps(Path store) throws IOException {
        return bucketFiles(store).stream()
                .filter(p -> p.getParent().getFileName().toString().equals("rollup")).toList();
    }

    @Test
    void aRollUpStoppedBeforeAnyOfItsStepsLeavesEveryEventOnceAndTheNextRunFinishes()
            throws Exception {
        Path seed = dir.resolve("seed");
        List<EventId> expected;
        try (Store store = Store.open(seed)) {
            writeSixHours(store);
            expected = ids(readAll(store));
        }
        int steps = Integer.MAX_VALUE;
        for (int failAt = 1; failAt <= steps; failAt++) {
            Path copy = dir.resolve("at-" + failAt);
            copyTree(seed, copy);
            AtomicInteger counted = new AtomicInteger();
            String what = "stopped before change " + failAt;
            try (Store store = Store.open(copy)) {
                List<Storage> dying = new ArrayList<>();
                for (Storage v : store.layout().volumes()) {
                    dying.add(new FailingFromStep(v, counted, failAt));
                }
                StepClock clock = dayLater();
                boolean failed = false;
                try (Brigade b = rollingUp(store, clock).volumes(dying).build()) {
                    for (int pass = 0; pass < 4; pass++) {
                        BrigadeSummary s = b.runOnce();
                        failed |= !s.failures().isEmpty();
                    }
                } catch (IOException died) {
                    failed = true;
                }
                if (!failed) {
                    steps = failAt; // the run made fewer changes than this: every step was hit
                }
                assertThat(ids(readAll(store))).as(what).isEqualTo(expected);
                try (Brigade next = rollingUp(store, clock).build()) {
                    compactFully(next);
                }
                assertThat(ids(readAll(store))).as(what + ", then finished").isEqualTo(expected);
                assertThat(bucketFiles(copy)).as(what + ": only roll-ups are left")
                        .isNotEmpty().containsExactlyElementsOf(rollUps(copy));
            }
            assertThat(failAt).as("a run of the brigade ends").isLessThan(2_000);
        }
        assertThat(steps).as("changes of a run, each one interrupted").isGreaterThan(10);
    }

    @Test
    void twoBrigadesRacingForTheSameRollUpsCommitEachOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                Path store = dir.resolve("race-" + round);
                try (Store s = Store.open(store)) {
                    writeSixHours(s);
                    List<EventId> expected = ids(readAll(s));
                    StepClock clock = dayLater();
                    CyclicBarrier together = new CyclicBarrier(2);
                    List<Future<Integer>> racers = new ArrayList<>();
                    for (int i = 0; i < 2; i++) {
                        racers.add(pool.submit(() -> {
                            int lost = 0;
                            try (Brigade b = rollingUp(s, clock).build()) {
                                for (int pass = 0; pass < 4; pass++) {
                                    together.await();
                                    BrigadeSummary summary = b.runOnce();
                                    assertThat(summary.failures()).isEmpty();
                                    lost += summary.racesLost() + summary.claimedElsewhere();
                                }
                            }
                            return lost;
                        }));
                    }
                    for (Future<Integer> f : racers) {
                        f.get();
                    }
                    assertThat(ids(readAll(s))).as("round " + round).isEqualTo(expected);
                    try (Brigade last = rollingUp(s, clock).build()) {
                        compactFully(last);
                    }
                    assertThat(ids(readAll(s))).isEqualTo(expected);
                    List<Path> rolled = rollUps(store);
                    assertThat(rolled).as("one roll-up per four hours, the losers' deleted")
                            .hasSizeBetween(2, 3);
                    assertThat(bucketFiles(store)).containsExactlyElementsOf(rolled);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void verifyAndStatsSeeRollUpsAndReportOneDamagedOrMisplaced() throws Exception {
        try (Store store = Store.open(dir)) {
            writeSixHours(store);
            List<Event> before = BrigadeFixture.byId(readAll(store));
            try (Brigade b = rollingUp(store, dayLater()).build()) {
                compactFully(b);
            }
            StoreInspector inspector = StoreInspector.of(store);
            List<CorruptionReport> damage = new ArrayList<>();
            assertThat(inspector.verify(STREAM, (d, t) -> { }, damage::add).events())
                    .isEqualTo(before.size());
            assertThat(damage).isEmpty();
            List<WindowInfo> windows = inspector.windows(STREAM, (d, t) -> { }, damage::add);
            assertThat(windows).filteredOn(WindowInfo::rollUpArea).singleElement()
                    .satisfies(w -> assertThat(w.buckets()).hasSize(rollUps(dir).size()));

            // A copy of a roll-up in a window directory: reported, not read.
            Path rollUp = rollUps(dir).get(0);
            Path window = Files.list(dir.resolve(STREAM))
                    .filter(p -> p.getFileName().toString().matches("\\d{8}T\\d{6}Z")).findFirst()
                    .orElseThrow();
            Path copy = window.resolve(rollUp.getFileName());
            Files.copy(rollUp, copy);
            assertThat(inspector.verify(STREAM, (d, t) -> { }, damage::add).events())
                    .isEqualTo(before.size());
            assertThat(damage).singleElement().satisfies(r -> {
                assertThat(r.location()).isEqualTo(copy.toString());
                assertThat(r.problem()).contains("a roll-up belongs in the stream's roll-up area");
            });
            assertThat(BrigadeFixture.byId(readAllReporting(store, new ArrayList<>())))
                    .isEqualTo(before);
            Files.delete(copy);

            // A flipped byte in a roll-up's block: reported there, the rest still read.
            damage.clear();
            byte[] bytes = Files.readAllBytes(rollUp);
            bytes[bytes.length / 3] ^= 0x5a;
            Files.write(rollUp, bytes);
            inspector.verify(STREAM, (d, t) -> { }, damage::add);
            assertThat(damage).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.location()).isEqualTo(rollUp.toString()));
            List<CorruptionReport> read = new ArrayList<>();
            List<Event> after = readAllReporting(store, read);
            assertThat(read).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.location()).isEqualTo(rollUp.toString()));
            assertThat(before).containsAll(after);
        }
    }

    @Test
    void aRollUpIsDeletedByRetentionOnlyWhenAllOfItIsOlder() throws Exception {
        try (Store store = Store.open(dir)) {
            writeSixHours(store);
            StepClock clock = dayLater();
            try (Brigade b = rollingUp(store, clock).retention(false).build()) {
                compactFully(b);
            }
            List<Path> rolled = rollUps(dir);
            assertThat(rolled).hasSizeBetween(2, 3);
            long newestStart = rolled.stream().mapToLong(p -> io.bucketlog.internal.store.StoreLayout
                    .parseBucketName(p.getFileName().toString()).windowStart()).max().orElseThrow();
            // A cutoff just after the newest roll-up's first event: inside its four hours, after
            // the end of every other roll-up.
            long cutoff = readAll(store).stream().mapToLong(Event::timestampNanos)
                    .filter(ts -> ts >= newestStart).min().orElseThrow() + 1;
            Duration age = Duration.ofNanos(clock.millis() * 1_000_000L - cutoff);
            try (Brigade b = rollingUp(store, clock).build()) {
                PruneSummary pruned = b.prune(STREAM, age, false);
                assertThat(pruned.windows()).contains("rollup");
            }
            assertThat(rollUps(dir)).singleElement().satisfies(p -> assertThat(
                    io.bucketlog.internal.store.StoreLayout.parseBucketName(p.getFileName()
                            .toString()).windowStart()).isEqualTo(newestStart));
            List<Event> left = readAll(store);
            assertThat(left).isNotEmpty().allSatisfy(e -> assertThat(e.timestampNanos())
                    .isGreaterThanOrEqualTo(newestStart));
            assertThat(left).anySatisfy(e -> assertThat(e.timestampNanos()).isLessThan(cutoff));
        }
    }

    private static List<Event> readAllReporting(Store store, List<CorruptionReport> reports) {
        List<Event> out = new ArrayList<>();
        try (EventScan scan = store.scan(ScanRequest.all(STREAM))) {
            scan.forEachRemaining(out::add);
            reports.addAll(scan.corruptions());
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}

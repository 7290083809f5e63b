package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.brigade.Brigade;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries of a store whose listings have settled ask the backend nothing about what cannot have
 * changed behind an unchanged listing: the stream's configuration versions and a window's
 * commits. Index buckets (which grow in place) and buckets (whose name a link could take) are
 * still asked about by every query, and a configuration version added since is used by the
 * next query.
 */
class SettledStoreTest {
    private static final StreamConfig CONFIG = TestStore.quietConfig(Duration.ofMinutes(1));

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong();
    private final List<CorruptionReport> reports = new CopyOnWriteArrayList<>();

    @Test
    void queriesOfASettledCompactedStoreStatNeitherTheConfigurationNorTheCommitsAgain()
            throws Exception {
        List<String> written;
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            written = new ArrayList<>(
                    TestStore.writeSealed(store, TestStore.minutesAgo(180), "a", 40));
            written.addAll(TestStore.writeSealed(store, TestStore.minutesAgo(180), "b", 40));
            compact(store);
        }
        assertThat(files("commit-")).as("the brigade's commit").isNotEmpty();
        try (BucketlogReader reader = reader()) {
            CountingStorage volume = settle(reader);
            volume.stats.clear();
            for (int i = 0; i < 3; i++) {
                assertThat(TestStore.bodies(reader)).containsExactlyInAnyOrderElementsOf(written);
            }
            assertThat(volume.stats).as("stats of the three queries")
                    .noneMatch(n -> n.contains("stream.conf"))
                    .noneMatch(n -> n.contains("/commit-"))
                    .anyMatch(n -> n.contains("/index-")) // index buckets grow: still refreshed
                    .anyMatch(n -> n.endsWith(".bkt")); // a bucket's name is still checked
        }
        assertThat(reports).isEmpty();
    }

    @Test
    void aConfigurationVersionAddedAfterTheListingsSettledIsUsedByTheNextQuery() throws Exception {
        long minute = TestStore.minutesAgo(3);
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            List<String> written = new ArrayList<>(TestStore.writeSealed(store, minute, "a", 40));
            try (BucketlogReader reader = reader()) {
                settle(reader);
                // A bucket of the new width: a reader that did not know the version would report
                // its width as one no configuration gives.
                store.updateStream("s", TestStore.quietConfig(Duration.ofMinutes(5)));
                written.addAll(TestStore.writeSealed(store, minute, "b", 40));
                assertThat(TestStore.bodies(reader)).containsExactlyInAnyOrderElementsOf(written);
            }
        }
        assertThat(files("stream.conf.2")).hasSize(1);
        assertThat(reports).isEmpty();
    }

    @Test
    void onABackendWithoutStampsEveryQueryStillAsksForTheNextConfigurationVersion()
            throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            List<String> written = TestStore.writeSealed(store, TestStore.minutesAgo(3), "a", 40);
            try (BucketlogReader reader = BucketlogReader.builder()
                    .locations(CountingStorage.UNSTAMPED + dir.toAbsolutePath()).jmx(false)
                    .onCorruption(reports::add).nanoClock(clock::get).build()) {
                for (int i = 0; i < 3; i++) {
                    TestStore.bodies(reader);
                    clock.addAndGet(TestStore.SETTLED);
                }
                CountingStorage volume = CountingStorage.OPENED.get(dir.toAbsolutePath());
                volume.stats.clear();
                for (int i = 0; i < 3; i++) {
                    assertThat(TestStore.bodies(reader))
                            .containsExactlyInAnyOrderElementsOf(written);
                }
                assertThat(volume.stats).filteredOn(n -> n.equals("s/stream.conf.2")).hasSize(3);
                assertThat(reader.counters().listingHits.sum()).isZero();
            }
        }
        assertThat(reports).isEmpty();
    }

    private void compact(Store store) throws IOException {
        try (Brigade brigade = Brigade.builder(store).clock(Clock.systemUTC())
                .lateness(Duration.ZERO).rollUpAfter(null).grace(Duration.ZERO)
                .claimTtl(Duration.ZERO).build()) {
            assertThat(brigade.runOnce().merges()).isPositive();
            assertThat(brigade.runOnce().inputsDeleted()).isPositive();
        }
    }

    /** Queries until the listings are served from memory; the reader's counting volume. */
    private CountingStorage settle(BucketlogReader reader) throws IOException {
        TestStore.servedQuery(dir, reader, clock);
        return CountingStorage.OPENED.get(dir.toAbsolutePath());
    }

    private List<Path> files(String namePart) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.getFileName().toString().contains(namePart)).toList();
        }
    }

    private BucketlogReader reader() {
        return BucketlogReader.builder().locations(CountingStorage.SCHEME + dir.toAbsolutePath())
                .jmx(false).onCorruption(reports::add).nanoClock(clock::get).build();
    }

}

package io.bucketlog.brigade;

import static io.bucketlog.brigade.BrigadeFixture.CONFIG;
import static io.bucketlog.brigade.BrigadeFixture.MINUTE;
import static io.bucketlog.brigade.BrigadeFixture.STREAM;
import static io.bucketlog.brigade.BrigadeFixture.brigade;
import static io.bucketlog.brigade.BrigadeFixture.byId;
import static io.bucketlog.brigade.BrigadeFixture.indexWindowOf;
import static io.bucketlog.brigade.BrigadeFixture.listing;
import static io.bucketlog.brigade.BrigadeFixture.minuteAgo;
import static io.bucketlog.brigade.BrigadeFixture.readAll;
import static io.bucketlog.brigade.BrigadeFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Point 2 of the brigade: old index windows rolled up into one bucket covering each. */
class BrigadeRollUpTest {
    @TempDir
    Path dir;

    private final StepClock clock = new StepClock();

    @Test
    void anIndexWindowOlderThanTheRollUpAgeEndsAsOneBucketCoveringIt() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, CONFIG);
            TreeSet<Long> windows = new TreeSet<>();
            long newest = minuteAgo(2); // once: the clock may pass a minute while writing
            for (int m = 0; m < 10; m++) {
                write(store, newest - m * MINUTE, MINUTE, 30, "m" + m);
                windows.add(indexWindowOf(newest - m * MINUTE));
            }
            List<Event> before = byId(readAll(store));
            try (Brigade b = brigade(store, clock).grace(Duration.ZERO).targetBytes(1 << 20)
                    .rollUpAfter(Duration.ofMinutes(30)).build()) {
                BrigadeSummary minutes = b.runOnce();
                assertThat(minutes.merges()).as("one per minute").isEqualTo(10);
                assertThat(minutes.rollUps()).as("the index window is not old enough").isZero();
                clock.advance(Duration.ofMinutes(95)); // every index window ended 30 min ago
                BrigadeSummary rolled = b.runOnce();
                assertThat(rolled.rollUps()).isEqualTo(windows.size());
                assertThat(b.runOnce().merges()).as("nothing left").isZero();
            }
            assertThat(byId(readAll(store))).isEqualTo(before);
            for (long window : windows) {
                WindowListing w = listing(store, window);
                assertThat(w.buckets()).singleElement().satisfies(bucket -> {
                    assertThat(bucket.name().merged()).isTrue();
                    assertThat(bucket.wide()).isTrue();
                    assertThat(bucket.name().windowStart()).isEqualTo(window);
                    BucketHeader h = BucketFile.readHeader(new StoreObject(store.layout().volume(
                            bucket.volume()), StoreLayout.bucketFile(STREAM, window, bucket.name())));
                    assertThat(h.windowWidth()).isEqualTo(CONFIG.indexWindowNanos());
                });
            }
        }
    }
}

package io.bucketlog.brigade;

import static io.bucketlog.brigade.BrigadeFixture.CONFIG;
import static io.bucketlog.brigade.BrigadeFixture.MINUTE;
import static io.bucketlog.brigade.BrigadeFixture.STREAM;
import static io.bucketlog.brigade.BrigadeFixture.brigade;
import static io.bucketlog.brigade.BrigadeFixture.bucketFiles;
import static io.bucketlog.brigade.BrigadeFixture.byId;
import static io.bucketlog.brigade.BrigadeFixture.indexWindowOf;
import static io.bucketlog.brigade.BrigadeFixture.listing;
import static io.bucketlog.brigade.BrigadeFixture.minuteAgo;
import static io.bucketlog.brigade.BrigadeFixture.readAll;
import static io.bucketlog.brigade.BrigadeFixture.view;
import static io.bucketlog.brigade.BrigadeFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Point 1 of the brigade: closed windows merged into key-sorted buckets, every event kept once. */
class BrigadeMergeTest {
    @TempDir
    Path dir;

    private final StepClock clock = new StepClock();

    @Test
    void aClosedWindowsBucketsOfEveryWriterBecomeOneKeySortedBucketWithEveryEventOnce()
            throws IOException {
        long minute = minuteAgo(5);
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, CONFIG);
            for (int w = 0; w < 3; w++) {
                write(store, minute, MINUTE, 400, "w" + w);
            }
            List<Event> before = byId(readAll(store));
            int inputs = bucketFiles(dir).size();
            assertThat(inputs).as("several writers and rotations").isGreaterThan(3);

            try (Brigade b = brigade(store, clock).targetBytes(1 << 20).build()) {
                BrigadeSummary s = b.runOnce();
                assertThat(s.merges()).isEqualTo(1);
                assertThat(s.inputs()).isEqualTo(inputs);
                assertThat(s.events()).isEqualTo(before.size());
                assertThat(s.copies()).isZero();
                assertThat(s.damage()).isEmpty();
                assertThat(byId(readAll(store))).as("read through the commit").isEqualTo(before);

                WindowListing w = listing(store, indexWindowOf(minute));
                ListedBucket merged = mergedBucket(w);
                EngineView.BucketRecords records = view(store).read(STREAM, merged);
                assertThat(records.sealed()).isTrue();
                assertThat(records.events()).isSortedAccordingTo(MergeOrder.order(
                        MergeOrder.slices(records.events(), CONFIG.blockBytes())));
                assertThat(byId(records.events())).as("every EventId kept").isEqualTo(before);

                // Inputs stay through the grace period, for reads that opened them before.
                assertThat(b.runOnce().inputsDeleted()).isZero();
                assertThat(bucketFiles(dir)).hasSize(inputs + 1);
                clock.advance(Duration.ofMinutes(10));
                BrigadeSummary after = b.runOnce();
                assertThat(after.inputsDeleted()).isEqualTo(inputs);
                assertThat(after.merges()).as("nothing left to merge").isZero();
                assertThat(bucketFiles(dir)).singleElement()
                        .satisfies(p -> assertThat(p.getFileName().toString()).isEqualTo(merged.fileName()));
                assertThat(byId(readAll(store))).isEqualTo(before);
                assertThat(listing(store, w.indexWindowStart()).commits()).as("the commit stays with its merged bucket").hasSize(1);
                assertThat(BrigadeFixture.files(dir, "claim-*")).as("unexpired").hasSize(1);

                // Once idle for the abandon age, the index buckets of writers with no bucket left go.
                assertThat(BrigadeFixture.files(dir, "index-*.idx")).hasSizeGreaterThan(1);
                clock.advance(Duration.ofHours(1));
                b.runOnce();
                assertThat(BrigadeFixture.files(dir, "index-*.idx")).singleElement().satisfies(p ->
                        assertThat(p.getFileName().toString()).contains(merged.name().writerId()));
                assertThat(BrigadeFixture.files(dir, "claim-*")).as("expired claims swept").isEmpty();
                assertThat(byId(readAll(store))).isEqualTo(before);
            }
        }
    }

    @Test
    void aWindowStillOpenOrWithinItsLatenessIsNotMerged() throws IOException {
        long minute = minuteAgo(3);
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, CONFIG);
            write(store, minute, MINUTE, 50, "a");
            write(store, minute, MINUTE, 50, "b");
            try (Brigade b = brigade(store, clock).lateness(Duration.ofMinutes(10)).build()) {
                assertThat(b.runOnce().merges()).isZero();
                clock.advance(Duration.ofMinutes(10));
                assertThat(b.runOnce().merges()).isPositive();
            }
        }
    }

    @Test
    void theByteTargetSplitsAWindowIntoSeveralMergedBucketsThatConverge() throws IOException {
        long minute = minuteAgo(5);
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, CONFIG);
            List<Event> before = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                write(store, minute, MINUTE, 150, "w" + w);
            }
            before.addAll(byId(readAll(store)));
            try (Brigade b = brigade(store, clock).grace(Duration.ZERO).build()) {
                for (int pass = 0; pass < 6; pass++) {
                    b.runOnce();
                    assertThat(byId(readAll(store))).as("pass " + pass).isEqualTo(before);
                }
                assertThat(b.runOnce().merges()).as("converged").isZero();
                WindowListing w = listing(store, indexWindowOf(minute));
                long small = w.buckets().stream().filter(x -> x.bytes() < CONFIG.bucketBytes() / 2).count();
                assertThat(small).as("at most one bucket under half the target").isLessThanOrEqualTo(1);
                assertThat(w.buckets()).allSatisfy(x -> assertThat(
                        WorkPlan.mergedOutputs(w)).contains(x.ref()));
            }
        }
    }

    @Test
    void aMergeReadsNoMoreThanMaxMergeBytesWhateverTheTarget() throws IOException {
        long minute = minuteAgo(5);
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, CONFIG);
            for (int w = 0; w < 4; w++) {
                write(store, minute, MINUTE, 150, "w" + w);
            }
            WindowListing w = listing(store, indexWindowOf(minute));
            long inputBytes = w.buckets().stream().mapToLong(ListedBucket::bytes).sum();
            assertThat(inputBytes).isGreaterThan(2 * 4096);
            try (Brigade b = brigade(store, clock).targetBytes(1 << 20).maxMergeBytes(4096).build()) {
                assertThat(b.runOnce().merges()).as("the cap splits the window").isGreaterThan(1);
            }
            try (Brigade b = brigade(store, clock).targetBytes(1 << 20).build()) {
                clock.advance(Duration.ofMinutes(10));
                assertThat(b.runOnce().merges()).as("without the cap, the merged buckets merge into one")
                        .isEqualTo(1);
                assertThat(b.runOnce().merges()).isZero();
            }
        }
    }

    @Test
    void aLateEventForACompactedWindowIsReadWithTheMergedBucketAndMergedNextPass()
            throws IOException {
        long minute = minuteAgo(5);
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, CONFIG);
            write(store, minute, MINUTE, 80, "a");
            write(store, minute, MINUTE, 80, "b");
            try (Brigade b = brigade(store, clock).grace(Duration.ZERO).targetBytes(1 << 20).build()) {
                b.runOnce();
                b.runOnce();
                assertThat(bucketFiles(dir)).hasSize(1);
                write(store, minute, MINUTE, 5, "late");
                List<Event> all = byId(readAll(store));
                assertThat(all).hasSize(165);
                assertThat(bucketFiles(dir)).hasSize(2);
                BrigadeSummary s = b.runOnce();
                assertThat(s.merges()).isEqualTo(1);
                assertThat(s.inputs()).isEqualTo(2);
                b.runOnce();
                assertThat(bucketFiles(dir)).hasSize(1);
                assertThat(byId(readAll(store))).isEqualTo(all);
            }
        }
    }

    static ListedBucket mergedBucket(WindowListing w) {
        return w.buckets().stream().filter(x -> WorkPlan.mergedOutputs(w).contains(x.ref()))
                .reduce((a, c) -> {
                    throw new AssertionError("more than one merged bucket: " + a + ", " + c);
                }).orElseThrow();
    }
}

package io.bucketlog.brigade;

import static io.bucketlog.brigade.BrigadeFixture.CONFIG;
import static io.bucketlog.brigade.BrigadeFixture.MINUTE;
import static io.bucketlog.brigade.BrigadeFixture.STREAM;
import static io.bucketlog.brigade.BrigadeFixture.brigade;
import static io.bucketlog.brigade.BrigadeFixture.bucketFiles;
import static io.bucketlog.brigade.BrigadeFixture.byId;
import static io.bucketlog.brigade.BrigadeFixture.files;
import static io.bucketlog.brigade.BrigadeFixture.indexWindowOf;
import static io.bucketlog.brigade.BrigadeFixture.listing;
import static io.bucketlog.brigade.BrigadeFixture.minuteAgo;
import static io.bucketlog.brigade.BrigadeFixture.readAll;
import static io.bucketlog.brigade.BrigadeFixture.view;
import static io.bucketlog.brigade.BrigadeFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.WriteErrorListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two brigades merging the same inputs: exactly one commit wins and the loser deletes its merged
 * bucket; a loser that died before deleting it leaves a merged bucket no commit names, which
 * readers never read and a later pass deletes once it is abandoned.
 */
class BrigadeCommitRaceTest {
    @TempDir
    Path dir;

    private final StepClock clock = new StepClock();
    private final long minute = minuteAgo(5);

    /** Two writers' sealed buckets in one closed minute; returns their events. */
    private List<Event> twoWriters(Store store) {
        store.createStream(STREAM, CONFIG);
        write(store, minute, MINUTE, 50, "a");
        write(store, minute, MINUTE, 50, "b");
        return byId(readAll(store));
    }

    private WorkUnit unitOf(WindowListing seen) {
        return new WorkPlan(Duration.ZERO, Duration.ofHours(1), null)
                .plan(seen, CONFIG, 1 << 20, clock.millis()).get(0);
    }

    /** One brigade run's merge machinery, as {@link Brigade#runOnce} builds it. */
    private static WindowMerge merger(EngineView view, StepClock clock, String id, BrigadeIndex index) {
        return new WindowMerge(view, new Claims(view.first(), clock, Duration.ZERO, id),
                new Commits(view.first(), clock), index,
                new FormatBucketSink(WriteErrorListener.STDERR), id);
    }

    @Test
    void ofTwoBrigadesMergingTheSameInputsExactlyOneCommitsAndTheLoserDeletesItsBucket()
            throws IOException {
        try (Store store = Store.open(dir)) {
            List<Event> before = twoWriters(store);
            EngineView view = view(store);
            // Both plan from the same listing, as two brigades that listed at the same moment.
            WindowListing seen = listing(store, indexWindowOf(minute));
            WorkUnit unit = unitOf(seen);
            try (BrigadeIndex first = new BrigadeIndex(view.first(), "aaaaaaaaaaaaa");
                 BrigadeIndex second = new BrigadeIndex(view.first(), "bbbbbbbbbbbbb")) {
                WindowMerge.Outcome won = merger(view, clock, "aaaaaaaaaaaaa", first)
                        .run(unit, seen, CONFIG);
                // The second listed after the first claimed and before it committed: it sees the
                // claim, expired at once, takes it over, merges, and loses the commit.
                WindowListing between = new WindowListing(seen.stream(), seen.indexWindowStart(),
                        seen.buckets(), seen.commits(),
                        listing(store, seen.indexWindowStart()).objects(), seen.indexModified(),
                        seen.uncommitted());
                WindowMerge.Outcome lost = merger(view, clock, "bbbbbbbbbbbbb", second)
                        .run(unit, between, CONFIG);
                assertThat(won.kind()).isEqualTo(BrigadeStep.Kind.MERGED);
                assertThat(lost.kind()).isEqualTo(BrigadeStep.Kind.LOST_RACE);
            }
            assertThat(files(dir, "commit-*.idx")).hasSize(1);
            assertThat(bucketFiles(dir)).hasSize(3).noneMatch(p -> p.getFileName().toString()
                    .contains("bbbbbbbbbbbbb"));
            assertThat(files(dir, "claim-*")).as("the take-over made a second claim").hasSize(2);
            assertThat(byId(readAll(store))).isEqualTo(before);
        }
    }

    @Test
    void aLosersBucketLeftBehindIsNeverReadAndIsDeletedOnceAbandoned()
            throws IOException {
        try (Store store = Store.open(dir)) {
            List<Event> before = twoWriters(store);
            WindowListing seen = listing(store, indexWindowOf(minute));
            WorkUnit unit = unitOf(seen);
            // A brigade that wrote, sealed and indexed its bucket and died before committing:
            // the same state as a loser that died before deleting its bucket.
            EngineView dyingView = new EngineView(store, List.of(new NoCommits(view(store).first())));
            try (BrigadeIndex dying = new BrigadeIndex(dyingView.first(), "ddddddddddddd")) {
                WindowMerge.Outcome o = merger(dyingView, clock, "ddddddddddddd", dying)
                        .run(unit, seen, CONFIG);
                assertThat(o.kind()).isEqualTo(BrigadeStep.Kind.LOST_RACE);
            }
            assertThat(bucketFiles(dir)).hasSize(3);
            assertThat(listing(store, seen.indexWindowStart()).uncommitted()).hasSize(1);
            assertThat(byId(readAll(store))).as("readers ignore an uncommitted merge").isEqualTo(before);

            try (Brigade b = brigade(store, clock).grace(Duration.ZERO).targetBytes(1 << 20).build()) {
                BrigadeSummary s = b.runOnce();
                assertThat(s.merges()).isEqualTo(1);
                assertThat(s.copies()).as("the leftover is no input").isZero();
                b.runOnce();
                assertThat(bucketFiles(dir)).as("the leftover waits for the abandon age").hasSize(2);
                clock.advance(Duration.ofHours(2));
                b.runOnce();
            }
            assertThat(bucketFiles(dir)).hasSize(1);
            assertThat(byId(readAll(store))).isEqualTo(before);
        }
    }
}

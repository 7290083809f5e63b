package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.backend.file.FileStorage;
import io.bucketlog.brigade.Brigade;
import io.bucketlog.brigade.BrigadeSummary;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
 * The reader's listing cache never serves a listing that misses a change: a bucket written, a
 * brigade's commit, a bucket deleted or replaced by a link after a listing was kept are seen by
 * the next query as a reader without caches sees them. The directories are aged an hour first
 * (a window nobody wrote to lately, the case the cache is for) and the cache's clock is moved
 * past the settle time, so each test first proves that the listing is being served from memory.
 */
class ListingCacheTest {
    private static final StreamConfig CONFIG = StreamConfig.builder().bucketBytes(4096).blockBytes(512)
            .bucketWidth(Duration.ofMinutes(1)).indexWindow(Duration.ofHours(1)).build();

    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;

    private final AtomicLong clock = new AtomicLong();
    private final List<CorruptionReport> reports = new CopyOnWriteArrayList<>();

    @Test
    void aListingIsNotServedBeforeItsStampSettledEvenIfAChangeLeftTheStampAsItWas() throws IOException {
        Path window = Files.createDirectories(dir.resolve("s/w"));
        Files.createFile(window.resolve("a.bkt"));
        FileTime old = age(window);
        FileStorage volume = new FileStorage(dir);
        ListingCache cache = new ListingCache(16, new ReaderBean(), clock::get);
        assertThat(cache.list(volume, "s/w/")).containsExactly("a.bkt");
        // A create within the stamp's tick: the directory's time stays what it was.
        Files.createFile(window.resolve("b.bkt"));
        Files.setLastModifiedTime(window, old);
        assertThat(cache.list(volume, "s/w/")).containsExactlyInAnyOrder("a.bkt", "b.bkt");
        clock.addAndGet(TestStore.SETTLED);
        assertThat(cache.list(volume, "s/w/")).containsExactlyInAnyOrder("a.bkt", "b.bkt");
        ReaderBean counters = new ReaderBean();
        ListingCache counted = new ListingCache(16, counters, clock::get);
        counted.list(volume, "s/w/");
        clock.addAndGet(TestStore.SETTLED);
        counted.list(volume, "s/w/");
        assertThat(counted.list(volume, "s/w/")).containsExactlyInAnyOrder("a.bkt", "b.bkt");
        assertThat(counters.listingHits.sum()).isEqualTo(1);
        // After it settled, a create moves the stamp on, and the next call lists again.
        Files.createFile(window.resolve("c.bkt"));
        assertThat(counted.list(volume, "s/w/")).containsExactlyInAnyOrder("a.bkt", "b.bkt", "c.bkt");
        assertThat(counters.listingHits.sum()).isEqualTo(1);
    }

    @Test
    void aMissingDirectoryCreatedAfterItsEmptyListingWasServedIsListed() throws IOException {
        Files.createDirectories(dir.resolve("s"));
        FileStorage volume = new FileStorage(dir);
        ReaderBean counters = new ReaderBean();
        ListingCache cache = new ListingCache(16, counters, clock::get);
        assertThat(cache.list(volume, "s/rollup/")).isEmpty();
        clock.addAndGet(TestStore.SETTLED);
        cache.list(volume, "s/rollup/");
        assertThat(cache.list(volume, "s/rollup/")).isEmpty();
        assertThat(counters.listingHits.sum()).isEqualTo(1);
        Files.createFile(Files.createDirectories(dir.resolve("s/rollup")).resolve("a.bkt"));
        assertThat(cache.list(volume, "s/rollup/")).containsExactly("a.bkt");
    }

    @Test
    void aWindowDirectoryReplacedByALinkAfterItsListingSettledIsRefused() throws IOException {
        Path window = Files.createDirectories(dir.resolve("s/w"));
        Files.createFile(window.resolve("a.bkt"));
        FileTime old = age(window);
        FileStorage volume = new FileStorage(dir);
        ReaderBean counters = new ReaderBean();
        ListingCache cache = new ListingCache(16, counters, clock::get);
        cache.list(volume, "s/w/");
        clock.addAndGet(TestStore.SETTLED);
        cache.list(volume, "s/w/");
        assertThat(cache.list(volume, "s/w/")).containsExactly("a.bkt");
        assertThat(counters.listingHits.sum()).isEqualTo(1);
        Path moved = Files.move(window, elsewhere.resolve("w"));
        Files.setLastModifiedTime(moved, old); // its time is the one the cache kept
        Files.createSymbolicLink(window, moved);
        assertThatThrownBy(() -> cache.list(volume, "s/w/")).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("symbolic link");
    }

    @Test
    void aBucketWrittenAfterAListingWasServedIsReadByTheNextQuery() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            long minute = TestStore.minutesAgo(3);
            List<String> written = new ArrayList<>(TestStore.writeSealed(store, minute, "a", 40));
            try (BucketlogReader reader = reader()) {
                assertThat(TestStore.servedQuery(dir, reader, clock))
                        .containsExactlyInAnyOrderElementsOf(written);
                written.addAll(TestStore.writeSealed(store, minute, "b", 40));
                assertThat(TestStore.bodies(reader)).containsExactlyInAnyOrderElementsOf(written);
            }
        }
        assertThat(reports).isEmpty();
    }

    @Test
    void aBrigadeCommitAfterAListingWasServedSwitchesTheNextQueryWithEachEventOnce() throws Exception {
        try (Store store = Store.open(dir); Brigade brigade = Brigade.builder(store)
                .clock(Clock.systemUTC()).lateness(Duration.ZERO).rollUpAfter(null)
                .grace(Duration.ZERO).claimTtl(Duration.ZERO).build()) {
            store.createStream("s", CONFIG);
            long minute = TestStore.minutesAgo(3);
            List<String> written = new ArrayList<>(TestStore.writeSealed(store, minute, "a", 40));
            written.addAll(TestStore.writeSealed(store, minute, "b", 40));
            try (BucketlogReader reader = reader()) {
                assertThat(TestStore.servedQuery(dir, reader, clock))
                        .containsExactlyInAnyOrderElementsOf(written);
                BrigadeSummary merged = brigade.runOnce();
                assertThat(merged.merges()).isPositive();
                assertThat(TestStore.bodies(reader)).containsExactlyInAnyOrderElementsOf(written);
                assertThat(brigade.runOnce().inputsDeleted()).isPositive();
                assertThat(TestStore.bodies(reader)).containsExactlyInAnyOrderElementsOf(written);
            }
        }
        assertThat(reports).isEmpty();
    }

    @Test
    void aBucketReplacedByALinkAfterItsListingWasServedIsReportedAndNotRead() throws Exception {
        Changed c = changeABucketBehindAServedListing(bucket -> Files.createSymbolicLink(bucket,
                Files.move(bucket, elsewhere.resolve(bucket.getFileName()))));
        assertThat(c.listingsServed()).isPositive();
        assertThat(c.after()).hasSizeLessThan(c.written().size()).doesNotHaveDuplicates();
        assertThat(c.written()).containsAll(c.after());
        assertThat(reports).anySatisfy(r -> {
            assertThat(r.location()).isEqualTo(c.bucket().toString());
            assertThat(r.problem()).contains("symbolic link");
        });
    }

    /**
     * A query's stats of listed buckets and index buckets check only the file
     * ({@code Storage.statListed}): the window's directory is checked by its stamp, taken by the
     * same query first, so a window replaced by a link is still refused with kept listings,
     * footers and handles.
     */
    @Test
    void aWindowReplacedByALinkAfterItsListingWasServedIsReportedAndNotRead() throws Exception {
        Changed c = changeABucketBehindAServedListing(bucket -> {
            Path window = bucket.getParent();
            FileTime old = Files.getLastModifiedTime(window);
            Path moved = Files.move(window, elsewhere.resolve(window.getFileName()));
            Files.setLastModifiedTime(moved, old);
            Files.createSymbolicLink(window, moved);
        });
        assertThat(c.written()).isNotEmpty();
        assertThat(c.after()).as("nothing read through the link").isEmpty();
        assertThat(reports).anySatisfy(r -> {
            assertThat(r.location()).isEqualTo(c.bucket().getParent().toString());
            assertThat(r.problem()).contains("symbolic link");
        });
    }

    @Test
    void aBucketDeletedAfterItsListingWasServedIsSkippedAsAReaderWithoutCachesSkipsIt() throws Exception {
        Changed c = changeABucketBehindAServedListing(Files::delete);
        try (BucketlogReader fresh = BucketlogReader.builder().directories(dir).jmx(false).build()) {
            assertThat(c.after()).hasSizeLessThan(c.written().size())
                    .containsExactlyInAnyOrderElementsOf(TestStore.bodies(fresh));
        }
        assertThat(reports).isEmpty();
    }

    private interface BucketChange {
        void apply(Path bucket) throws IOException;
    }

    /** What was written, the bucket changed, and what the query after the change returned. */
    private record Changed(List<String> written, Path bucket, List<String> after, long listingsServed) {
    }

    /**
     * Writes a bucket, serves a query from kept listings, changes the first bucket and leaves
     * its directory's time as the cache kept it: the worst case, in which the name is served from
     * the kept listing and only opening it can tell.
     */
    private Changed changeABucketBehindAServedListing(BucketChange change) throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            List<String> written = TestStore.writeSealed(store, TestStore.minutesAgo(3), "a", 40);
            try (BucketlogReader reader = reader()) {
                assertThat(TestStore.servedQuery(dir, reader, clock))
                        .containsExactlyInAnyOrderElementsOf(written);
                Path bucket = buckets().get(0);
                FileTime old = Files.getLastModifiedTime(bucket.getParent());
                change.apply(bucket);
                Files.setLastModifiedTime(bucket.getParent(), old);
                long hits = reader.counters().listingHits.sum();
                List<String> after = TestStore.bodies(reader);
                return new Changed(written, bucket, after, reader.counters().listingHits.sum() - hits);
            }
        }
    }

    private BucketlogReader reader() {
        return BucketlogReader.builder().directories(dir).jmx(false).onCorruption(reports::add)
                .nanoClock(clock::get).build();
    }

    private List<Path> buckets() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".bkt")).sorted().toList();
        }
    }

    private static FileTime age(Path d) throws IOException {
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000L);
        Files.setLastModifiedTime(d, old);
        return old;
    }
}

package io.bucketlog;

import static io.bucketlog.Fixtures.HOUR;
import static io.bucketlog.Fixtures.await;
import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static io.bucketlog.Fixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.index.IndexFileReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data buckets and index buckets as the writer leaves them on disk. */
class BucketTest {
    @TempDir
    Path dir;

    @Test
    void rotatesOnTheByteTarget() throws IOException {
        StreamConfig config = StreamConfig.builder().bucketBytes(8192).blockBytes(1024).build();
        try (Store store = Store.open(dir)) {
            store.createStream("s", config);
            long ts = nowNanos();
            try (Writer w = store.writer(options().build())) {
                for (int i = 0; i < 1000; i++) {
                    w.append("s", "k" + i % 7, ts + i, Map.of(), body(i, 100));
                }
            }
            List<Path> buckets = WriterTest.bucketFiles(dir);
            assertThat(buckets.size()).isGreaterThanOrEqualTo(8);
            long lastSeq = buckets.stream().mapToLong(p -> StoreLayout.parseBucketName(p.getFileName().toString()).sequence()).max().orElseThrow();
            for (Path p : buckets) {
                // the last block may go past the target, and the footer follows it
                assertThat(Files.size(p)).isLessThan(config.bucketBytes() + 2L * config.blockBytes() + 2048);
                if (StoreLayout.parseBucketName(p.getFileName().toString()).sequence() != lastSeq) {
                    assertThat(Files.size(p)).as("rotated only once full: " + p).isGreaterThanOrEqualTo(config.bucketBytes());
                }
            }
            List<Event> all = readAll(store, ScanRequest.all("s"));
            assertThat(all).extracting(Fixtures::numberOf)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 1000).boxed().toList());
            // one producer: the ids grow in append order, across every bucket
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).id().sequence()).isGreaterThan(all.get(i - 1).id().sequence());
                assertThat(all.get(i).id().writerId()).isEqualTo(all.get(0).id().writerId());
            }
        }
    }

    @Test
    void lateEventsGoToTheirOwnWindowNeverAnother() throws IOException {
        StreamConfig config = StreamConfig.builder().bucketBytes(16 * 1024).blockBytes(1024)
                .bucketWidth(Duration.ofMinutes(10)).indexWindow(Duration.ofHours(1)).build();
        Random random = new Random(42);
        long now = nowNanos();
        List<Long> stamps = new ArrayList<>();
        try (Store store = Store.open(dir)) {
            store.createStream("s", config);
            try (Writer w = store.writer(options().maxOpenBuckets(4).build())) {
                for (int i = 0; i < 3000; i++) {
                    // mostly now, often up to 3 h late, in random order
                    long ts = random.nextInt(3) == 0 ? now - (long) (random.nextDouble() * 3 * HOUR) : now - i;
                    stamps.add(ts);
                    w.append("s", "k" + i % 11, ts, Map.of("i", Integer.toString(i)), body(i, 60));
                }
            }
            for (Path p : WriterTest.bucketFiles(dir)) {
                StoreLayout.BucketName name = StoreLayout.parseBucketName(p.getFileName().toString());
                // A late bucket (its index window had ended) covers the whole index window.
                long width = name.late() ? config.indexWindowNanos() : config.bucketWidthNanos();
                BucketHeader header = BucketHeader.readFrom(new ByteSource(Files.readAllBytes(p)));
                assertThat(header.windowStart()).isEqualTo(name.windowStart());
                assertThat(header.windowWidth()).isEqualTo(width);
                // the bucket's directory is the index window holding its window
                long indexWindow = Math.floorDiv(name.windowStart(), config.indexWindowNanos()) * config.indexWindowNanos();
                assertThat(p.getParent().getFileName().toString()).isEqualTo(StoreLayout.windowName(indexWindow));
                for (Event e : eventsOf(p, name)) {
                    assertThat(e.timestampNanos()).as("event in " + p)
                            .isGreaterThanOrEqualTo(name.windowStart()).isLessThan(name.windowStart() + width);
                }
            }
            List<Event> all = readAll(store, ScanRequest.all("s"));
            assertThat(all).hasSize(3000).allMatch(Fixtures::intact);
            assertThat(all).isSortedAccordingTo(Comparator.comparingLong(Event::timestampNanos).thenComparing(Event::id));
            for (Event e : all) {
                assertThat(e.timestampNanos()).isEqualTo(stamps.get((int) Fixtures.numberOf(e)));
            }
        }
    }

    @Test
    void idleBucketsOfClosedWindowsSealAfterTheGraceAndTheIndexSaysSoAtOnce() throws Exception {
        StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20)
                .bucketWidth(Duration.ofHours(1)).indexWindow(Duration.ofHours(1)).build();
        try (Store store = Store.open(dir)) {
            store.createStream("s", config);
            long now = nowNanos();
            long late = now - 3 * HOUR;
            try (Writer w = store.writer(options().sealGrace(Duration.ofMillis(200)).build())) {
                w.append("s", "a", late, Map.of(), body(1, 30));
                w.append("s", "b", now + Fixtures.SECOND, Map.of(), body(2, 30));
                flush(w);
                // both buckets are announced as soon as they exist
                assertThat(entries(store, late, w.writerId())).hasAtLeastOneElementOfType(IndexEntry.Opened.class);
                assertThat(entries(store, now, w.writerId())).hasAtLeastOneElementOfType(IndexEntry.Opened.class);
                await("the late bucket to seal", () -> w.stats().bucketsSealed() == 1);
                List<IndexEntry> lateIndex = entries(store, late, w.writerId());
                assertThat(lateIndex).hasSize(2);
                IndexEntry.Sealed sealed = (IndexEntry.Sealed) lateIndex.get(1);
                assertThat(sealed.count()).isEqualTo(1);
                assertThat(sealed.minTimestamp()).isEqualTo(late);
                assertThat(sealed.keys().mightContain("a")).isTrue();
                // the current window's bucket is still open (its window has not ended)
                assertThat(w.stats().bucketsSealed()).isEqualTo(1);
                assertThat(entries(store, now, w.writerId())).noneMatch(e -> e instanceof IndexEntry.Sealed);
                // a late event for the sealed window opens a new bucket there
                w.append("s", "a", late + 1, Map.of(), body(3, 30));
                flush(w);
                assertThat(w.stats().bucketsOpened()).isEqualTo(3);
            }
            assertThat(readAll(store, new ScanRequest("s", "a", 0, Long.MAX_VALUE, Direction.FORWARD)))
                    .extracting(Fixtures::numberOf).containsExactly(1L, 3L);
        }
    }

    @Test
    void maxOpenBucketsSealsTheLeastRecentlyWrittenAndIndexesStayConsistent() throws Exception {
        StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20)
                .bucketWidth(Duration.ofMinutes(1)).indexWindow(Duration.ofMinutes(1)).build();
        try (Store store = Store.open(dir)) {
            store.createStream("s", config);
            // Windows that have not ended (within the accepted clock skew): not late.
            long now = nowNanos();
            long a = now + 10 * 60 * Fixtures.SECOND;
            long b = now + 20 * 60 * Fixtures.SECOND;
            long c = now + 30 * 60 * Fixtures.SECOND;
            String writerId;
            try (Writer w = store.writer(options().maxOpenBuckets(2).sealGrace(Duration.ofHours(1)).build())) {
                writerId = w.writerId();
                w.append("s", "k", a, Map.of(), body(1, 30));
                flush(w);
                w.append("s", "k", b, Map.of(), body(2, 30));
                flush(w);
                w.append("s", "k", c, Map.of(), body(3, 30)); // evicts a
                flush(w);
                assertThat(w.stats().bucketsSealed()).isEqualTo(1);
                w.append("s", "k", a + 1, Map.of(), body(4, 30)); // evicts b, reopens window a
                flush(w);
                WriterStats st = w.stats();
                assertThat(st.bucketsOpened()).isEqualTo(4);
                assertThat(st.bucketsSealed()).isEqualTo(2);
                assertThat(entries(store, a, writerId)).extracting(e -> e.getClass().getSimpleName())
                        .containsExactly("Opened", "Sealed", "Opened");
                assertThat(entries(store, b, writerId)).extracting(e -> e.getClass().getSimpleName())
                        .containsExactly("Opened", "Sealed");
            }
            assertThat(entries(store, a, writerId)).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly("Opened", "Sealed", "Opened", "Sealed");
            assertThat(entries(store, c, writerId)).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly("Opened", "Sealed");
            assertThat(readAll(store, ScanRequest.all("s"))).extracting(Fixtures::numberOf)
                    .containsExactly(1L, 4L, 2L, 3L);
        }
    }

    @Test
    void lateBucketsBeyondMaxOpenBucketsAreParkedAndContinuedNotSealed() throws Exception {
        StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20)
                .bucketWidth(Duration.ofHours(1)).indexWindow(Duration.ofHours(1)).build();
        try (Store store = Store.open(dir)) {
            store.createStream("s", config);
            long now = nowNanos();
            long a = now - 5 * HOUR;
            long b = now - 4 * HOUR;
            long c = now - 3 * HOUR;
            String writerId;
            try (Writer w = store.writer(options().maxOpenBuckets(2).sealGrace(Duration.ofHours(1)).build())) {
                writerId = w.writerId();
                w.append("s", "k", a, Map.of(), body(1, 30));
                flush(w);
                w.append("s", "k", b, Map.of(), body(2, 30));
                flush(w);
                w.append("s", "k", c, Map.of(), body(3, 30)); // parks a
                flush(w);
                w.append("s", "k", a + 1, Map.of(), body(4, 30)); // parks b, continues a
                flush(w);
                WriterStats st = w.stats();
                assertThat(st.bucketsOpened()).isEqualTo(3);
                assertThat(st.bucketsSealed()).isZero();
                assertThat(entries(store, a, writerId)).extracting(e -> e.getClass().getSimpleName())
                        .containsExactly("Opened");
                // Readers see the parked bucket like any open one.
                assertThat(readAll(store, ScanRequest.all("s"))).extracting(Fixtures::numberOf)
                        .containsExactly(1L, 4L, 2L, 3L);
            }
            for (long t : new long[] {a, b, c}) {
                assertThat(entries(store, t, writerId)).extracting(e -> e.getClass().getSimpleName())
                        .containsExactly("Opened", "Sealed");
            }
            assertThat(WriterTest.bucketFiles(dir)).hasSize(3).allSatisfy(p -> assertThat(
                    StoreLayout.parseBucketName(p.getFileName().toString()).late()).isTrue());
            assertThat(readAll(store, ScanRequest.all("s"))).extracting(Fixtures::numberOf)
                    .containsExactly(1L, 4L, 2L, 3L);
        }
    }

    @Test
    void anIndexBucketLeftEmptyByAFailedHeaderWriteGetsItsHeader() throws IOException {
        StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20).build();
        try (Store store = Store.open(dir)) {
            store.createStream("s", config);
            long now = nowNanos();
            try (Writer w = store.writer(options().build())) {
                // what a header write refused by a full disk leaves: an empty file
                Path idx = Path.of(store.location()).resolve(StoreLayout.indexFile("s",
                        Math.floorDiv(now, config.indexWindowNanos()) * config.indexWindowNanos(), w.writerId()));
                Files.createDirectories(idx.getParent());
                Files.createFile(idx);
                w.append("s", "k", now, Map.of(), body(1, 30));
                flush(w);
                assertThat(entries(store, now, w.writerId())).hasSize(1);
            }
            assertThat(entries(store, now, lastWriter(store))).hasSize(2);
            assertThat(readAll(store, ScanRequest.all("s"))).hasSize(1);
        }
    }

    @Test
    void noCompressionRoundTrips() {
        try (Store store = Store.open(dir)) {
            store.createStream("raw", StreamConfig.builder().bucketBytes(8192).blockBytes(512)
                    .compression(Compression.NONE).build());
            try (Writer w = store.writer(options().build())) {
                for (int i = 0; i < 200; i++) {
                    w.append("raw", "k", nowNanos(), Map.of("level", "INFO", "long", "v".repeat(100)), body(i, 50));
                }
            }
            List<Event> all = readAll(store, ScanRequest.all("raw"));
            assertThat(all).hasSize(200).allMatch(Fixtures::intact);
            assertThat(all.get(0).attributes()).containsEntry("level", "INFO").containsEntry("long", "v".repeat(100));
        }
    }

    private static String lastWriter(Store store) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(Path.of(store.location()))) {
            return s.map(p -> StoreLayout.parseIndexName(p.getFileName().toString()))
                    .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
        }
    }

    static List<IndexEntry> entries(Store store, long ts, String writerId) throws IOException {
        StreamConfig c = store.streamConfig("s").orElseThrow();
        long window = Math.floorDiv(ts, c.indexWindowNanos()) * c.indexWindowNanos();
        List<IndexEntry> out = new ArrayList<>();
        List<CorruptionReport> reports = new ArrayList<>();
        IndexFileReader.read(TestObjects.object(Path.of(store.location()).resolve(
                StoreLayout.indexFile("s", window, writerId))), 0, out, reports::add);
        assertThat(reports).isEmpty();
        return out;
    }

    static List<Event> eventsOf(Path p, StoreLayout.BucketName name) throws IOException {
        List<Event> out = new ArrayList<>();
        List<CorruptionReport> reports = new ArrayList<>();
        try (BucketFile f = BucketFile.open(TestObjects.object(p), name, reports::add)) {
            for (BlockEntry b : f.blocks()) {
                f.readBlock(b, "s", null, 0, Long.MAX_VALUE, out);
            }
        }
        assertThat(reports).isEmpty();
        return out;
    }
}

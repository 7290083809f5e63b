package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.BucketlogException;
import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.LogAttributes;
import io.bucketlog.Store;
import io.bucketlog.UnknownStreamException;
import io.bucketlog.Writer;
import io.bucketlog.internal.store.StoreLayout;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryTest {
    static final long S = TestStore.SECOND;
    static final int USERS = 20;
    static final int EVENTS = 2000;

    @TempDir
    Path dir;
    long base;

    /** 2000 events of 20 users over 40 s (10 index windows), written out of order, all sealed. */
    @BeforeEach
    void write() {
        base = (TestStore.nowNanos() / S - 300) / 4 * 4 * S;
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
            try (Writer w = store.writer(TestStore.writerOptions(4))) {
                for (int i = 0; i < EVENTS; i++) {
                    long ts = timestamp(i);
                    String level = i % 10 == 0 ? "ERROR" : i % 3 == 0 ? "WARN" : "INFO";
                    w.append("s", "user" + (i % USERS), ts,
                            Map.of(LogAttributes.LEVEL, level, "type", i % 2 == 0 ? "order" : "other"),
                            ("event " + i + (i % 7 == 0 ? " needle" : "")).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** Event i's time: a scrambled spread over 40 s, so writes are out of order and late. */
    long timestamp(int i) {
        return base + ((i * 7919L) % EVENTS) * (40 * S / EVENTS);
    }

    @Test
    void returnsEveryEventInOrderBothWays() {
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            List<Event> all = reader.query("s").list();
            assertThat(all).hasSize(EVENTS);
            assertThat(all).isSortedAccordingTo(io.bucketlog.internal.read.StreamScan.FORWARD);
            assertThat(ids(all)).doesNotHaveDuplicates();
            List<Event> back = reader.query("s").backward().list();
            assertThat(back).isSortedAccordingTo(io.bucketlog.internal.read.StreamScan.FORWARD.reversed());
            List<String> backIds = ids(back);
            java.util.Collections.reverse(backIds);
            assertThat(backIds).containsExactlyElementsOf(ids(all));
        }
    }

    @Test
    void keyRangeLimitAndFilters() {
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            Instant from = Instant.ofEpochSecond(0, base + 10 * S);
            Instant to = Instant.ofEpochSecond(0, base + 20 * S);
            List<Event> r = reader.query("s").key("user3").between(from, to).list();
            assertThat(r).isNotEmpty().allMatch(e -> e.key().equals("user3")
                    && e.timestampNanos() >= base + 10 * S && e.timestampNanos() < base + 20 * S);
            long expected = countWhere(i -> i % USERS == 3 && timestamp(i) >= base + 10 * S
                    && timestamp(i) < base + 20 * S);
            assertThat(r).hasSize((int) expected);

            assertThat(reader.query("s").limit(5).list()).hasSize(5);
            assertThat(reader.query("s").minLevel("warn").list())
                    .hasSize((int) countWhere(i -> i % 10 == 0 || i % 3 == 0))
                    .allMatch(e -> !e.attribute(LogAttributes.LEVEL).equals("INFO"));
            assertThat(reader.query("s").minLevel("ERROR").list())
                    .hasSize((int) countWhere(i -> i % 10 == 0));
            assertThat(reader.query("s").attributeEquals("type", "order").list())
                    .hasSize(EVENTS / 2);
            assertThat(reader.query("s").attributePrefix("type", "o").list()).hasSize(EVENTS);
            assertThat(reader.query("s").bodyContains("needle").list())
                    .hasSize((int) countWhere(i -> i % 7 == 0));
            try (Stream<Event> s = reader.query("s").key("user1").stream()) {
                assertThat(s.count()).isEqualTo(EVENTS / USERS);
            }
        }
    }

    @Test
    void latestWalksNewestWindowsFirstAndStopsEarly() {
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            List<Event> latest = reader.latest("s", "user7", 5);
            List<Event> all = reader.query("s").key("user7").list();
            List<Event> newest = new ArrayList<>(all.subList(all.size() - 5, all.size()));
            java.util.Collections.reverse(newest);
            assertThat(ids(latest)).containsExactlyElementsOf(ids(newest));
            try (QueryResult r = reader.query("s").key("user7").backward().limit(5).iterator()) {
                r.forEachRemaining(e -> { });
                // 10 windows hold the data; 5 of 100 events of a user are in the newest one.
                assertThat(r.stats().windows()).isEqualTo(1);
            }
        }
    }

    @Test
    void prunesWindowsBucketsAndBlocks() {
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            QueryStats full;
            try (QueryResult r = reader.query("s").iterator()) {
                r.forEachRemaining(e -> { });
                full = r.stats();
            }
            QueryStats range;
            try (QueryResult r = reader.query("s").fromNanos(base + 8 * S).toNanos(base + 12 * S)
                    .iterator()) {
                r.forEachRemaining(e -> { });
                range = r.stats();
            }
            assertThat(full.windows()).isEqualTo(10);
            assertThat(range.windows()).isEqualTo(1);
            assertThat(range.blocksRead()).isLessThan(full.blocksRead() / 5);

            QueryStats key;
            try (QueryResult r = reader.query("s").key("user5").iterator()) {
                r.forEachRemaining(e -> { });
                key = r.stats();
            }
            QueryStats absent;
            try (QueryResult r = reader.query("s").key("nobody").iterator()) {
                assertThat(r.hasNext()).isFalse();
                absent = r.stats();
            }
            assertThat(key.blocksRead()).isLessThan(full.blocksRead());
            assertThat(key.bytesRead()).isLessThan(full.bytesRead());
            // Bloom filters in the index (and footer key tables) rule out every bucket.
            assertThat(absent.bucketsPruned()).isEqualTo(absent.bucketsListed());
            assertThat(absent.blocksRead()).isZero();
            assertThat(absent.bucketsOpened()).isLessThanOrEqualTo(absent.bucketsListed() / 50 + 1);
        }
    }

    @Test
    void cachesFootersAndIndexEntries() {
        try (BucketlogReader reader = BucketlogReader.builder().directories(dir)
                .footerCacheBytes(1 << 20).indexCacheFiles(100).build()) {
            QueryStats first;
            QueryStats second;
            try (QueryResult r = reader.query("s").iterator()) {
                r.forEachRemaining(e -> { });
                first = r.stats();
            }
            try (QueryResult r = reader.query("s").iterator()) {
                r.forEachRemaining(e -> { });
                second = r.stats();
            }
            assertThat(first.indexFilesRead()).isEqualTo(10);
            assertThat(first.footersFromCache()).isZero();
            assertThat(second.indexFilesRead()).isZero();
            assertThat(second.footersFromCache()).isEqualTo(second.bucketsOpened());
            assertThat(second.bytesRead()).isLessThan(first.bytesRead());
        }
        // A tiny bound still gives correct results; the caches stay within it.
        try (BucketlogReader reader = BucketlogReader.builder().directories(dir)
                .footerCacheBytes(2_000).indexCacheFiles(2).build()) {
            assertThat(reader.query("s").list()).hasSize(EVENTS);
            assertThat(reader.query("s").list()).hasSize(EVENTS);
            assertThat(reader.indexCache().size()).isLessThanOrEqualTo(2);
            assertThat(reader.footerCache().weightedBytes()).isLessThanOrEqualTo(2_000);
        }
    }

    @Test
    void cursorsResumeExactlyAfterTheirEvent() {
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            List<Event> all = reader.query("s").key("user2").backward().list();
            List<Event> pages = new ArrayList<>();
            String cursor = null;
            while (true) { // pages of 7, as a web page would fetch them, cursor as a string
                Query q = reader.query("s").key("user2").backward().limit(7);
                if (cursor != null) {
                    q.after(cursor);
                }
                int before = pages.size();
                try (QueryResult r = q.iterator()) {
                    r.forEachRemaining(pages::add);
                    if (r.cursor() != null) {
                        cursor = r.cursor().toString();
                    }
                }
                if (pages.size() == before) {
                    break;
                }
                assertThat(cursor).hasSizeLessThan(50);
            }
            assertThat(ids(pages)).containsExactlyElementsOf(ids(all));
        }
    }

    @Test
    void errorsAreClear() {
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            assertThatThrownBy(() -> reader.query("nope").list())
                    .isInstanceOf(UnknownStreamException.class).hasMessageContaining("nope");
            assertThatThrownBy(() -> reader.query("s").fromNanos(10).toNanos(5).list())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad range");
            assertThatThrownBy(() -> reader.query("s").after("p12.xyz"))
                    .isInstanceOf(InvalidCursorException.class).hasMessageContaining("bad cursor");
            assertThatThrownBy(() -> Cursor.parse("t1!!!"))
                    .isInstanceOf(InvalidCursorException.class).hasMessageContaining("bad tail cursor");
            assertThatThrownBy(() -> Cursor.parse("p1.ABC.2"))
                    .isInstanceOf(InvalidCursorException.class);
            assertThatThrownBy(() -> reader.query("s").minLevel("LOUD"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LOUD");
            assertThatThrownBy(() -> reader.query("../etc"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> BucketlogReader.open(dir.resolve("missing")))
                .isInstanceOf(BucketlogException.class).hasMessageContaining("not a Bucketlog store");
    }

    @Test
    void reportsCorruptBlocksAndReadsTheRest() throws IOException {
        Path victim = sealedBuckets().get(3);
        long blockOffset;
        try (var f = io.bucketlog.internal.read.BucketFile.open(TestObjects.object(victim),
                StoreLayout.parseBucketName(victim.getFileName().toString()), r -> { })) {
            assertThat(f.sealed()).isTrue();
            blockOffset = f.blocks().get(0).offset();
        }
        flipByte(victim, blockOffset + 30);
        List<CorruptionReport> seen = new CopyOnWriteArrayList<>();
        try (BucketlogReader reader = BucketlogReader.builder().directories(dir)
                .onCorruption(seen::add).build();
             QueryResult r = reader.query("s").iterator()) {
            List<Event> events = new ArrayList<>();
            r.forEachRemaining(events::add);
            assertThat(r.corruptions()).hasSize(1);
            assertThat(r.corruptions().get(0).location()).isEqualTo(victim.toString());
            assertThat(r.corruptions().get(0).problem()).contains("CRC");
            assertThat(seen).containsExactlyElementsOf(r.corruptions());
            assertThat(events.size()).isLessThan(EVENTS).isGreaterThan(EVENTS - 40);
        }
    }

    @Test
    void reportsADamagedIndexOnEveryQueryAndStillReadsEverything() throws IOException {
        Path index;
        try (Stream<Path> s = Files.walk(dir)) {
            index = s.filter(p -> p.toString().endsWith(".idx")).sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(index);
        io.bucketlog.internal.format.ByteSource in = new io.bucketlog.internal.format.ByteSource(bytes);
        io.bucketlog.internal.format.IndexHeader.readFrom(in);
        flipByte(index, in.position() + 14); // inside the first entry, which others follow
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            for (int i = 0; i < 2; i++) { // the second query reads the index from the cache
                try (QueryResult r = reader.query("s").iterator()) {
                    List<Event> events = new ArrayList<>();
                    r.forEachRemaining(events::add);
                    assertThat(events).hasSize(EVENTS);
                    assertThat(r.corruptions()).hasSize(1);
                    assertThat(r.corruptions().get(0).location()).isEqualTo(index.toString());
                }
            }
        }
    }

    @Test
    void keepsWorkingWhenBucketsAreDeleted() throws IOException {
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            assertThat(reader.query("s").list()).hasSize(EVENTS); // caches filled
            try (QueryResult open = reader.query("s").iterator()) {
                Event first = open.next();
                List<Path> buckets = sealedBuckets();
                long lost = 0;
                for (Path p : List.of(buckets.get(buckets.size() - 1), buckets.get(0))) {
                    lost += reader.query("s").list().stream().filter(e -> inBucket(e, p)).count();
                    Files.delete(p);
                }
                List<Event> rest = new ArrayList<>(List.of(first));
                open.forEachRemaining(rest::add);
                // The first window's files were open before the delete and stay readable; later
                // windows no longer list the deleted bucket.
                assertThat(rest.size()).isBetween((int) (EVENTS - lost), EVENTS);
                assertThat(open.corruptions()).isEmpty();
                assertThat(reader.query("s").list()).hasSize((int) (EVENTS - lost));
            }
        }
    }

    private static boolean inBucket(Event e, Path bucket) {
        StoreLayout.BucketName n = StoreLayout.parseBucketName(bucket.getFileName().toString());
        return e.id().writerId().equals(n.writerId()) && e.timestampNanos() >= n.windowStart()
                && e.timestampNanos() < n.windowStart() + S && bucketHolds(bucket, e);
    }

    private static boolean bucketHolds(Path bucket, Event e) {
        try (var f = io.bucketlog.internal.read.BucketFile.open(TestObjects.object(bucket),
                StoreLayout.parseBucketName(bucket.getFileName().toString()), r -> { })) {
            List<Event> out = new ArrayList<>();
            for (var b : f.blocks()) {
                f.readBlock(b, "s", null, 0, Long.MAX_VALUE, out);
            }
            return out.stream().anyMatch(x -> x.id().equals(e.id()));
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void closesFilesWhenIteratorsClose() {
        long before;
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            before = openFiles();
            for (int i = 0; i < 50; i++) {
                try (QueryResult r = reader.query("s").iterator()) {
                    r.next(); // stopped early: files of the first window are open
                }
            }
            for (int i = 0; i < 20; i++) {
                try (Stream<Event> s = reader.query("s").stream()) {
                    assertThat(s.limit(3).count()).isEqualTo(3);
                }
            }
            // Beside the sealed buckets the reader keeps open between queries (bounded), and
            // which its close closes.
            long kept = reader.sealedHandles().size();
            assertThat(kept).isLessThanOrEqualTo(BucketlogReader.Builder.KEPT_OPEN_BUCKETS);
            assertThat(openFiles()).isLessThanOrEqualTo(before + 2 + kept);
        }
        assertThat(openFiles()).isLessThanOrEqualTo(before + 2);
    }

    @Test
    void oneReaderServesManyThreads() throws Exception {
        try (BucketlogReader reader = BucketlogReader.builder().directories(dir)
                .footerCacheBytes(20_000).indexCacheFiles(3).build()) {
            Map<String, List<String>> expected = new java.util.HashMap<>();
            for (int u = 0; u < USERS; u++) {
                expected.put("user" + u, ids(reader.query("s").key("user" + u).list()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 200; t++) {
                    String user = "user" + (t % USERS);
                    boolean backward = t % 2 == 0;
                    results.add(pool.submit(() -> {
                        Query q = reader.query("s").key(user);
                        List<String> want = new ArrayList<>(expected.get(user));
                        if (backward) {
                            q.backward();
                            java.util.Collections.reverse(want);
                        }
                        return ids(q.list()).equals(want);
                    }));
                }
                for (Future<Boolean> f : results) {
                    assertThat(f.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Events as comparable strings (an Event's body array makes record equality useless). */
    static List<String> ids(List<Event> events) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            out.add(e.timestampNanos() + "/" + e.id().writerId() + "/" + e.id().sequence() + "/"
                    + e.key() + "/" + e.bodyText());
        }
        return out;
    }

    private long countWhere(java.util.function.IntPredicate p) {
        long n = 0;
        for (int i = 0; i < EVENTS; i++) {
            if (p.test(i)) {
                n++;
            }
        }
        return n;
    }

    private List<Path> sealedBuckets() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".bkt")).sorted().collect(Collectors.toList());
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.flip();
            byte v = b.get(0);
            b.put(0, (byte) (v ^ 0x5A));
            ch.write(b, offset);
        }
    }

    static long openFiles() {
        return ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean()).getOpenFileDescriptorCount();
    }
}

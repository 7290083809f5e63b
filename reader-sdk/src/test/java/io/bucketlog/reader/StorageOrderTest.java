package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import io.bucketlog.internal.format.TimeSlices;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.write.SealedBucketWriter;
import io.bucketlog.spi.AppendableObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Query#storageOrder()}: every matching event exactly once, windows oldest first, whatever
 * the buckets of a window hold: merged (key-sorted) buckets with and without time slices, copies of
 * one event id in several of them, and a writer's late bucket, sealed or still open, beside them.
 * The model is the list of distinct events written; the time-ordered query of the same store is
 * the oracle where damage is involved.
 */
class StorageOrderTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long WINDOW = 60 * SECOND;
    private static final String[] KEYS = {"", "alice", "bob", "carol", "dave"};
    private static final String[] WRITERS = {"q7w2k4m9x1c3v", "a0b1c2d3e4f5g", "m5n6p7r8s9t0u"};
    private static final StreamConfig CONFIG = StreamConfig.builder().bucketBytes(1 << 20)
            .blockBytes(512).bucketWidth(Duration.ofMinutes(1)).indexWindow(Duration.ofMinutes(1))
            .build();
    private static final Comparator<Event> KEY_ORDER = Comparator.comparing(Event::key)
            .thenComparingLong(Event::timestampNanos).thenComparing(Event::id);

    @TempDir
    Path dir;

    /** What a workload wrote: the distinct events, and the live writer left open, if any. */
    private record Written(List<Event> events, Writer open) {
    }

    @Property(tries = 40)
    @StatisticsReport(onFailureOnly = false)
    void everyMatchingEventComesOnceWindowsOldestFirst(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        Path root = Files.createTempDirectory("bucketlog-storage-order");
        try (Store store = Store.open(root)) {
            store.createStream("s", CONFIG);
            long base = Math.floorDiv(TestStore.nowNanos(), WINDOW) * WINDOW - 10 * WINDOW;
            Written written = write(store, base, r);
            try (BucketlogReader reader = BucketlogReader.open(root)) {
                for (int q = 0; q < 6; q++) {
                    String key = r.nextBoolean() ? null : KEYS[r.nextInt(KEYS.length)];
                    long from = r.nextBoolean() ? 0 : base + r.nextInt(180) * SECOND;
                    long to = r.nextBoolean() ? Long.MAX_VALUE : from + r.nextInt(120) * SECOND;
                    Integer limit = r.nextInt(3) == 0 ? r.nextInt(40) : null;
                    Query query = reader.query("s").fromNanos(from).toNanos(to).storageOrder();
                    if (key != null) {
                        query.key(key);
                    }
                    if (limit != null) {
                        query.limit(limit);
                    }
                    String what = "seed " + seed + ", key " + key + ", [" + from + ", " + to
                            + "), limit " + limit;
                    List<Event> expected = written.events().stream()
                            .filter(e -> key == null || e.key().equals(key))
                            .filter(e -> e.timestampNanos() >= from && e.timestampNanos() < to)
                            .toList();
                    List<Event> got;
                    try (QueryResult result = query.iterator()) {
                        got = new ArrayList<>();
                        result.forEachRemaining(got::add);
                        assertThat(result.corruptions()).as(what).isEmpty();
                    }
                    Set<EventId> ids = new HashSet<>();
                    for (Event e : got) {
                        assertThat(ids.add(e.id())).as(what + ": returned twice: " + e.id()).isTrue();
                    }
                    for (int i = 1; i < got.size(); i++) {
                        assertThat(Math.floorDiv(got.get(i).timestampNanos(), WINDOW)).as(what)
                                .isGreaterThanOrEqualTo(Math.floorDiv(got.get(i - 1).timestampNanos(), WINDOW));
                    }
                    if (limit == null) {
                        assertThat(got).as(what).containsExactlyInAnyOrderElementsOf(expected);
                    } else {
                        assertThat(got).as(what).hasSize(Math.min(limit, expected.size()));
                        assertThat(expected).as(what).containsAll(got);
                    }
                }
            } finally {
                if (written.open() != null) {
                    written.open().close();
                }
            }
        } finally {
            TestStore.deleteTree(root);
        }
    }

    /**
     * Per window of three: 0-120 events in 1-4 merged buckets, each event with a chance of a copy in
     * another bucket of its window; then sometimes a live writer's late events, its buckets sealed
     * or left open.
     */
    private Written write(Store store, long base, Random r) throws IOException {
        Map<EventId, Event> distinct = new LinkedHashMap<>();
        long[] seqs = new long[WRITERS.length];
        int bucketNo = 0;
        boolean copies = false;
        boolean sliced = false;
        for (int w = 0; w < 3; w++) {
            long windowStart = base + w * WINDOW;
            int buckets = 1 + r.nextInt(4);
            List<List<Event>> contents = new ArrayList<>();
            for (int b = 0; b < buckets; b++) {
                contents.add(new ArrayList<>());
            }
            for (int i = r.nextInt(121); i > 0; i--) {
                int writer = r.nextInt(WRITERS.length);
                // 200 instants 300 ms apart: identical timestamps are common
                Event e = new Event("s", KEYS[r.nextInt(KEYS.length)],
                        windowStart + r.nextInt(200) * 300_000_000L, Map.of(),
                        ("e" + distinct.size()).getBytes(StandardCharsets.UTF_8),
                        new EventId(WRITERS[writer], seqs[writer]++));
                distinct.put(e.id(), e);
                int home = r.nextInt(buckets);
                contents.get(home).add(e);
                if (buckets > 1 && r.nextInt(5) == 0) {
                    contents.get((home + 1 + r.nextInt(buckets - 1)) % buckets).add(e);
                    copies = true;
                }
            }
            for (List<Event> bucket : contents) {
                if (!bucket.isEmpty()) {
                    TimeSlices slices = r.nextBoolean() ? new TimeSlices(windowStart, 15 * SECOND) : null;
                    sliced |= slices != null;
                    writeMerged(store, windowStart, "brigade" + String.format("%06d", bucketNo++),
                            bucket, slices);
                }
            }
        }
        Writer open = null;
        // Each case is checked below to be in at least 15% of the 40 tries: left open at 3/8, a
        // shortfall is one run in 2,000 (at 1/4 it was one in 23, and a replayed seed kept it red).
        boolean late = r.nextInt(4) != 0;
        boolean leftOpen = late && r.nextBoolean();
        if (late) {
            Writer w = store.writer(TestStore.writerOptions(4));
            int n = 1 + r.nextInt(30);
            for (int i = 0; i < n; i++) {
                long ts = base + r.nextInt(600) * 300_000_000L;
                String key = KEYS[r.nextInt(KEYS.length)];
                byte[] body = ("late" + i).getBytes(StandardCharsets.UTF_8);
                assertThat(w.append("s", key, ts, Map.of(), body)).isTrue();
                // a writer numbers its events from 0 in the order they are appended
                Event e = new Event("s", key, ts, Map.of(), body, new EventId(w.writerId(), i));
                distinct.put(e.id(), e);
            }
            if (leftOpen) {
                TestStore.flush(w);
                open = w;
            } else {
                w.close();
            }
        }
        Statistics.label("copies across buckets").collect(copies);
        Statistics.label("sliced buckets").collect(sliced);
        Statistics.label("late bucket beside merged ones").collect(late);
        Statistics.label("late bucket still open").collect(leftOpen);
        for (String label : List.of("copies across buckets", "sliced buckets",
                "late bucket beside merged ones", "late bucket still open")) {
            Statistics.label(label).coverage(c -> c.check(true).percentage(p -> p >= 15));
        }
        return new Written(List.copyOf(distinct.values()), open);
    }

    /**
     * Writes {@code events} as a sealed, key-sorted bucket of {@code windowStart} named by
     * {@code writerId}, with the index bucket that says so, as the brigade does.
     */
    private static Path writeMerged(Store store, long windowStart, String writerId, List<Event> events,
                                    TimeSlices slices) throws IOException {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(slices == null ? KEY_ORDER : Comparator.comparingLong(
                (Event e) -> slices.sliceOf(e.timestampNanos())).thenComparing(KEY_ORDER));
        StoreLayout.BucketName name = new StoreLayout.BucketName(windowStart, writerId, 0);
        String bucketName = StoreLayout.bucketFile("s", windowStart, name);
        AppendableObject out = store.layout().volume(0).create(bucketName);
        BucketHeader header = new BucketHeader(CONFIG.compression(), windowStart,
                CONFIG.bucketWidthNanos(), 0, new Random().nextLong(), writerId, "s");
        IndexEntry.Sealed sealed;
        try (SealedBucketWriter w = SealedBucketWriter.create(out, header, CONFIG.blockBytes(), true,
                slices)) {
            for (Event e : sorted) {
                w.add(e);
            }
            sealed = w.seal(false);
        }
        ByteSink index = new ByteSink(4096);
        new IndexHeader(windowStart, CONFIG.indexWindowNanos(), writerId, "s").writeTo(index);
        for (IndexEntry entry : List.of(new IndexEntry.Opened(0, windowStart), sealed)) {
            int at = Frame.open(index);
            entry.writeTo(index);
            Frame.close(index, at, Frame.ENTRY_MAGIC);
        }
        Files.write(Path.of(store.location()).resolve(StoreLayout.indexFile("s", windowStart, writerId)),
                index.toByteArray());
        return Path.of(store.location()).resolve(bucketName);
    }

    private List<Event> events(long windowStart, int n, int firstSeq) {
        List<Event> out = new ArrayList<>();
        Random r = new Random(n);
        for (int i = 0; i < n; i++) {
            out.add(new Event("s", "user-" + r.nextInt(30), windowStart + r.nextInt(59_000) * 1_000_000L,
                    Map.of(), ("body " + (firstSeq + i) + " " + "x".repeat(r.nextInt(60)))
                    .getBytes(StandardCharsets.UTF_8), new EventId(WRITERS[i % 3], firstSeq + i)));
        }
        return out;
    }

    private long window() {
        return Math.floorDiv(TestStore.nowNanos(), WINDOW) * WINDOW - 5 * WINDOW;
    }

    @Test
    void aMergedBucketComesInTheOrderItIsStoredKeyThenTime() throws IOException {
        long w = window();
        List<Event> events = events(w, 2000, 0);
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            writeMerged(store, w, "brigade000000", events, null);
        }
        List<Event> byKey = new ArrayList<>(events);
        byKey.sort(KEY_ORDER);
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            assertThat(reader.query("s").storageOrder().list()).containsExactlyElementsOf(byKey);
            assertThat(reader.query("s").storageOrder().limit(10).list())
                    .containsExactlyElementsOf(byKey.subList(0, 10));
            assertThat(reader.query("s").key("user-7").storageOrder().list())
                    .containsExactlyElementsOf(byKey.stream().filter(e -> e.key().equals("user-7")).toList());
        }
    }

    @Test
    void damageInTheLargestAndInAKeptBucketIsReportedAndTheRestReturnedOnceAsInTimeOrder()
            throws IOException {
        long w = window();
        List<Event> big = events(w, 3000, 0);
        // a late bucket beside the merged one: new events and copies of some of the big one's
        List<Event> small = new ArrayList<>(events(w, 300, 10_000));
        small.addAll(big.subList(100, 400));
        Path bigFile;
        Path smallFile;
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            bigFile = writeMerged(store, w, "brigade000000", big, new TimeSlices(w, 15 * SECOND));
            smallFile = writeMerged(store, w, "brigade000001", small, null);
        }
        for (Path p : List.of(bigFile, smallFile)) { // a byte of a block in the first third
            byte[] b = Files.readAllBytes(p);
            b[b.length / 3] ^= 0x5A;
            Files.write(p, b);
        }
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            List<Event> inTime = new ArrayList<>();
            List<CorruptionReport> timeDamage;
            try (QueryResult q = reader.query("s").iterator()) {
                q.forEachRemaining(inTime::add);
                timeDamage = q.corruptions();
            }
            List<Event> stored = new ArrayList<>();
            List<CorruptionReport> storedDamage;
            try (QueryResult q = reader.query("s").storageOrder().iterator()) {
                q.forEachRemaining(stored::add);
                storedDamage = q.corruptions();
            }
            assertThat(storedDamage).extracting(CorruptionReport::location)
                    .anyMatch(l -> l.contains(bigFile.getFileName().toString()))
                    .anyMatch(l -> l.contains(smallFile.getFileName().toString()));
            assertThat(storedDamage).extracting(CorruptionReport::location, CorruptionReport::offset)
                    .containsExactlyInAnyOrderElementsOf(timeDamage.stream()
                            .map(c -> org.assertj.core.groups.Tuple.tuple(c.location(), c.offset())).toList());
            assertThat(stored).doesNotHaveDuplicates().hasSizeLessThan(3300)
                    .containsExactlyInAnyOrderElementsOf(inTime);
        }
    }

    @Test
    void aCursorOrABackwardDirectionIsRefusedAndTheResultHasNoCursor() throws IOException {
        long w = window();
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            writeMerged(store, w, "brigade000000", events(w, 50, 0), null);
        }
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            Cursor c;
            try (QueryResult q = reader.query("s").limit(3).iterator()) {
                q.forEachRemaining(e -> { });
                c = q.cursor();
            }
            assertThatThrownBy(() -> reader.query("s").storageOrder().after(c).iterator())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
            assertThatThrownBy(() -> reader.query("s").backward().storageOrder().iterator())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direction");
            try (QueryResult q = reader.query("s").storageOrder().iterator()) {
                q.next();
                assertThatThrownBy(q::cursor).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("storage order");
            }
        }
    }
}

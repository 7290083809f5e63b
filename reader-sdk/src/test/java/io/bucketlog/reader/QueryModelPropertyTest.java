package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.LogAttributes;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;

/**
 * Random workloads (late and out-of-order timestamps, several writers at once, restarted writers,
 * rotated and still-open buckets, identical timestamps) are written to a real store, and random
 * queries are compared with a plain in-memory model: same events, same order, nothing missing,
 * nothing duplicated; and a query resumed from any result's cursor returns exactly the rest.
 */
class QueryModelPropertyTest {
    static final int WRITER_SLOTS = 3;
    static final String[] KEYS = {"", "alice", "bob", "carol", "dave"};
    static final String[] LEVELS = {"DEBUG", "INFO", "WARN", "ERROR"};
    static final String[] TYPES = {"a", "ab", "b"};
    /** Timestamps fall on 160 slots 47 ms apart: ~7.5 s, 8 bucket windows, 2-3 index windows. */
    static final long SLOT_NANOS = 47_000_000L;

    /** One append: which writer slot, key, time slot, attributes, body padding; then maybe more. */
    record Op(int writer, int key, int slot, int level, int type, int padding, boolean flush,
              boolean restart) {
    }

    record QueryCase(Integer key, Integer fromSlot, Integer toSlot, boolean backward, Integer limit,
                     int filter, int resumeAt) {
    }

    record Model(long timestamp, String key, String writerId, long sequence, String body,
                 Map<String, String> attributes) {
    }

    @Provide
    Arbitrary<List<Op>> workloads() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, WRITER_SLOTS - 1),
                Arbitraries.integers().between(0, KEYS.length - 1),
                Arbitraries.integers().between(0, 159),
                Arbitraries.integers().between(0, LEVELS.length - 1),
                Arbitraries.integers().between(0, TYPES.length - 1),
                Arbitraries.integers().between(0, 300),
                Arbitraries.integers().between(0, 9).map(i -> i == 0),
                Arbitraries.integers().between(0, 39).map(i -> i == 0))
                .as(Op::new);
        return op.list().ofMinSize(0).ofMaxSize(200).withSizeDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<List<QueryCase>> queries() {
        Arbitrary<QueryCase> q = Combinators.combine(
                Arbitraries.integers().between(0, KEYS.length - 1).injectNull(0.4),
                Arbitraries.integers().between(0, 170).injectNull(0.5),
                Arbitraries.integers().between(0, 170).injectNull(0.5),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 25).injectNull(0.5),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 1000))
                .as(QueryCase::new);
        return q.list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 50)
    @net.jqwik.api.statistics.StatisticsReport(onFailureOnly = false)
    void everyQueryMatchesTheModel(@ForAll("workloads") List<Op> ops,
                                   @ForAll("queries") List<QueryCase> queries) throws Exception {
        Path dir = Files.createTempDirectory("bucketlog-prop");
        long base = (TestStore.nowNanos() / TestStore.SECOND - 60) * TestStore.SECOND;
        List<Model> model = new ArrayList<>();
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
            Writer[] writers = new Writer[WRITER_SLOTS];
            Map<String, Long> nextSeq = new HashMap<>();
            for (int i = 0; i < WRITER_SLOTS; i++) {
                // At most 2 open buckets per writer: late events seal old ones and open new ones.
                writers[i] = store.writer(TestStore.writerOptions(2));
            }
            int n = 0;
            for (Op op : ops) {
                Writer w = writers[op.writer()];
                if (op.restart()) { // a new incarnation: new writer id, sequences from 0
                    w.close();
                    w = writers[op.writer()] = store.writer(TestStore.writerOptions(2));
                }
                long ts = base + op.slot() * SLOT_NANOS;
                String body = "e" + (n++) + ".".repeat(op.padding());
                Map<String, String> attrs = Map.of(LogAttributes.LEVEL, LEVELS[op.level()],
                        "type", TYPES[op.type()]);
                assertThat(w.append("s", KEYS[op.key()], ts, attrs,
                        body.getBytes(StandardCharsets.UTF_8))).isTrue();
                long seq = nextSeq.merge(w.writerId(), 1L, Long::sum) - 1;
                model.add(new Model(ts, KEYS[op.key()], w.writerId(), seq, body, attrs));
                if (op.flush()) {
                    TestStore.flush(w);
                }
            }
            // Writer 0 closes (all its buckets sealed); the others stay open with open buckets.
            writers[0].close();
            for (int i = 1; i < WRITER_SLOTS; i++) {
                TestStore.flush(writers[i]);
            }
            collectFeatures(dir, ops);
            try (BucketlogReader reader = BucketlogReader.open(dir)) {
                for (QueryCase q : queries) {
                    check(reader, model, base, q);
                }
            }
        } finally {
            TestStore.deleteTree(dir);
        }
    }

    /**
     * Records which write patterns a workload produced, and checks (below) that the generator
     * produces each of them often: rotated buckets, sealed and open buckets side by side, late
     * events, restarted writers, several writers, identical timestamps.
     */
    private static void collectFeatures(Path dir, List<Op> ops) throws java.io.IOException {
        int sealed = 0;
        int open = 0;
        Map<String, Integer> perWriterWindow = new HashMap<>();
        List<Path> buckets;
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            buckets = s.filter(p -> p.toString().endsWith(".bkt")).toList();
        }
        for (Path p : buckets) {
            io.bucketlog.internal.store.StoreLayout.BucketName name =
                    io.bucketlog.internal.store.StoreLayout.parseBucketName(p.getFileName().toString());
            perWriterWindow.merge(name.writerId() + "@" + name.windowStart(), 1, Integer::sum);
            try (io.bucketlog.internal.read.BucketFile f = io.bucketlog.internal.read.BucketFile.open(TestObjects.object(p), name, r -> { })) {
                if (f.sealed()) {
                    sealed++;
                } else {
                    open++;
                }
            }
        }
        boolean late = false;
        boolean sameTime = false;
        java.util.Set<Integer> slots = new java.util.HashSet<>();
        int maxSlot = -1;
        for (Op op : ops) {
            late |= op.slot() < maxSlot;
            maxSlot = Math.max(maxSlot, op.slot());
            sameTime |= !slots.add(op.slot());
        }
        Statistics.label("rotated").collect(perWriterWindow.values().stream().anyMatch(n -> n > 1));
        Statistics.label("sealed and open").collect(sealed > 0 && open > 0);
        Statistics.label("late").collect(late);
        Statistics.label("identical timestamps").collect(sameTime);
        Statistics.label("restart").collect(ops.stream().anyMatch(Op::restart));
        Statistics.label("writers").collect(ops.stream().map(Op::writer).distinct().count() > 1);
        for (String label : List.of("rotated", "sealed and open", "late", "identical timestamps",
                "restart", "writers")) {
            Statistics.label(label).coverage(c -> c.check(true).percentage(p -> p >= 20));
        }
    }

    private static void check(BucketlogReader reader, List<Model> model, long base, QueryCase q) {
        Predicate<Model> filter = switch (q.filter()) {
            case 1 -> m -> LogAttributes.priorityOf(m.attributes().get(LogAttributes.LEVEL)) >= 400;
            case 2 -> m -> m.attributes().get("type").equals("ab");
            case 3 -> m -> m.attributes().get("type").startsWith("a");
            case 4 -> m -> m.body().contains("e1");
            default -> m -> true;
        };
        long from = q.fromSlot() == null ? 0 : base + q.fromSlot() * SLOT_NANOS;
        long to = q.toSlot() == null ? Long.MAX_VALUE : base + q.toSlot() * SLOT_NANOS;
        if (to < from) {
            long t = from;
            from = to;
            to = t;
        }
        long f = from;
        long t = to;
        Comparator<Model> order = Comparator.comparingLong(Model::timestamp)
                .thenComparing(Model::writerId).thenComparingLong(Model::sequence);
        List<Model> expectedAll = model.stream()
                .filter(m -> q.key() == null || m.key().equals(KEYS[q.key()]))
                .filter(m -> m.timestamp() >= f && m.timestamp() < t)
                .filter(filter)
                .sorted(q.backward() ? order.reversed() : order)
                .toList();
        List<Model> expected = q.limit() == null ? expectedAll
                : expectedAll.subList(0, Math.min(q.limit(), expectedAll.size()));

        List<Event> actual = new ArrayList<>();
        List<Cursor> cursors = new ArrayList<>();
        try (QueryResult r = build(reader, q, f, t).iterator()) {
            while (r.hasNext()) {
                actual.add(r.next());
                cursors.add(r.cursor());
            }
            assertThat(r.corruptions()).isEmpty();
        }
        assertThat(describe(actual)).as("query %s", q).isEqualTo(describeModel(expected));

        if (!actual.isEmpty()) { // resume after any result: exactly the rest, without the limit
            int i = q.resumeAt() % actual.size();
            Cursor c = Cursor.parse(cursors.get(i).toString());
            Query resumed = build(reader, q, f, t).limit(Long.MAX_VALUE).after(c);
            assertThat(describe(resumed.list())).as("query %s resumed after %d", q, i)
                    .isEqualTo(describeModel(expectedAll.subList(i + 1, expectedAll.size())));
        }
    }

    private static Query build(BucketlogReader reader, QueryCase q, long from, long to) {
        Query query = reader.query("s").fromNanos(from).toNanos(to);
        if (q.key() != null) {
            query.key(KEYS[q.key()]);
        }
        if (q.backward()) {
            query.backward();
        }
        if (q.limit() != null) {
            query.limit(q.limit());
        }
        switch (q.filter()) {
            case 1 -> query.minLevel("WARN");
            case 2 -> query.attributeEquals("type", "ab");
            case 3 -> query.attributePrefix("type", "a");
            case 4 -> query.bodyContains("e1");
            default -> { }
        }
        return query;
    }

    private static List<String> describe(List<Event> events) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            out.add(e.timestampNanos() + " " + e.key() + " " + e.id() + " " + e.bodyText()
                    + " " + new TreeMap<>(e.attributes()));
        }
        return out;
    }

    private static List<String> describeModel(List<Model> models) {
        List<String> out = new ArrayList<>();
        for (Model m : models) {
            out.add(m.timestamp() + " " + m.key() + " " + new EventId(m.writerId(), m.sequence())
                    + " " + m.body() + " " + new TreeMap<>(m.attributes()));
        }
        return out;
    }
}

package io.bucketlog.bench.harness;

import io.bucketlog.Event;
import io.bucketlog.EventFiller;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.WriterStats;
import io.bucketlog.brigade.Brigade;
import io.bucketlog.brigade.BrigadeSummary;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.QueryResult;
import io.bucketlog.reader.QueryStats;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * The timeline workload in a child JVM, on Bucketlog or on RocksDB ({@link RocksTimeline}):
 * ingest {@link TimelineData}, then "latest 50 of a random user" and "a random user in a random
 * 1-hour range" queries, then a full scan in time order and, on Bucketlog, one in storage order.
 *
 * <p>Arguments: {@code resultFile store|store-compacted|queries-only|scans-only|rocksdb dir events users
 * queries}.
 * {@code store-compacted} ingests as {@code store}, then runs the brigade until nothing is left to
 * merge (with its clock two days ahead, so that the ingested day counts as closed, and no grace,
 * so that the inputs are gone) and measures the queries on the compacted store.
 *
 * <p>Bucketlog's stream config for timelines: 4 KiB blocks, so a key lookup decompresses little
 * beyond the user's own records; one-day buckets and a one-day index window, so that one user's
 * day lives in one bucket whose footer (one cached read) lists exactly the blocks holding the
 * user: "latest 50" then reads one footer and about 50 small blocks instead of touching 24
 * hourly buckets and their footers; buckets up to 1 GiB, so a day does not rotate.
 */
public final class TimelineChild {
    static final String STREAM = "timeline";
    static final long SEED = 42;
    static final int LATEST = 50;

    static final StreamConfig TIMELINE_CONFIG = StreamConfig.builder()
            .bucketBytes(1L << 30)
            .bucketWidth(Duration.ofDays(1))
            .indexWindow(Duration.ofDays(1))
            .blockBytes(4096)
            .build();

    private static final EventFiller<TimelineData> FILLER = (d, slot) -> {
        StringBuilder k = slot.keyText();
        for (byte b : d.key) {
            k.append((char) b);
        }
        slot.timestampNanos(d.timestampNanos);
        slot.body(d.body, 0, TimelineData.BODY_BYTES);
    };

    private TimelineChild() {
    }

    /** The queries, the same sequence for every store. */
    interface Queries {
        /**
         * Returns the events found; {@code stats[0]} += buckets opened, {@code stats[1]} += blocks,
         * {@code stats[2]} += footers served by the reader's cache, {@code stats[3]} += index
         * files read (not served by its cache).
         */
        int latest(int user, long[] stats);

        int range(int user, long from, long to, long[] stats);

        /** Reads everything in global time order; returns {events, bytes decoded}. */
        long[] fullScan();

        /**
         * Reads everything in the store's own order, or returns {@code null} where that is what
         * {@link #fullScan} does already (RocksDB's iterator goes by key, then time).
         */
        default long[] fullScanInStorageOrder() {
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        Path resultFile = Path.of(args[0]);
        String kind = args[1];
        Path dir = Path.of(args[2]);
        long events = Long.parseLong(args[3]);
        int users = Integer.parseInt(args[4]);
        int queries = Integer.parseInt(args[5]);
        long end = System.currentTimeMillis() * 1_000_000L - 60_000_000_000L;
        TimelineData data = new TimelineData(SEED, events, users, end);
        Results r = new Results();
        r.put("produced", events);
        if (kind.equals("store") || kind.equals("store-compacted")) {
            long t0 = System.nanoTime();
            WriterStats ws = ingestStore(dir, data);
            r.put("seconds", (System.nanoTime() - t0) / 1e9);
            r.put("persisted", ws.written());
            r.put("diskBytes", DiskUsage.bytes(dir));
            if (kind.equals("store-compacted")) {
                compact(dir, r);
            }
            try (BucketlogReader reader = BucketlogReader.open(dir)) {
                measure(new StoreQueries(reader), data, users, queries, r);
            }
        } else if (kind.equals("queries-only")) {
            // The queries alone on a store an earlier child left (run by hand, not by the
            // harness): the same store read by two builds in turn, to compare their cost per
            // query without ingest and brigade in between.
            try (BucketlogReader reader = BucketlogReader.open(dir)) {
                measureQueries(new StoreQueries(reader), data, users, queries, r);
            }
        } else if (kind.equals("scans-only")) {
            // The two full scans alone, three times each, on a store an earlier child left (run
            // by hand): to compare two builds' scans on one store. The first pass compiles.
            try (BucketlogReader reader = BucketlogReader.open(dir)) {
                StoreQueries q = new StoreQueries(reader);
                // The scanning thread's CPU time too: on a shared machine the wall time also
                // counts the waits for a core, which other builds lengthen at random.
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                for (int pass = 1; pass <= 3; pass++) {
                    long cpu = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    putScan("scan" + pass, q.fullScan(), t0, r);
                    putCpu("scan" + pass, threads, cpu, r);
                    cpu = threads.getCurrentThreadCpuTime();
                    t0 = System.nanoTime();
                    putScan("scanStored" + pass, q.fullScanInStorageOrder(), t0, r);
                    putCpu("scanStored" + pass, threads, cpu, r);
                }
            }
        } else if (kind.equals("rocksdb")) {
            try (RocksTimeline db = new RocksTimeline(dir)) {
                long t0 = System.nanoTime();
                long n = db.ingest(data);
                r.put("seconds", (System.nanoTime() - t0) / 1e9);
                r.put("persisted", n);
                r.put("diskBytes", DiskUsage.bytes(dir));
                measure(db, data, users, queries, r);
            }
        } else {
            throw new IllegalArgumentException("store kind must be store, store-compacted,"
                    + " queries-only, scans-only or rocksdb, was " + kind);
        }
        r.write(resultFile);
    }

    private static WriterStats ingestStore(Path dir, TimelineData data) {
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, TIMELINE_CONFIG);
            Writer w = store.writer(WriterOptions.builder()
                    .ringFullPolicy(RingFullPolicy.BLOCK)
                    .closeOnJvmShutdown(false)
                    .shutdownTimeout(Duration.ofMinutes(10))
                    .build());
            while (data.next()) {
                w.append(STREAM, 0, FILLER, data);
            }
            w.close();
            return w.stats();
        }
    }

    /** Runs the brigade to the end; records its time, what it wrote and the bytes on disk after. */
    private static void compact(Path dir, Results r) throws java.io.IOException {
        long t0 = System.nanoTime();
        long written = 0;
        long merges = 0;
        try (Store store = Store.open(dir);
             Brigade brigade = Brigade.builder(store)
                     .clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(2)))
                     .grace(Duration.ZERO).lateness(Duration.ZERO).rollUpAfter(null).build()) {
            for (int pass = 0; pass < 20; pass++) {
                BrigadeSummary s = brigade.runOnce();
                written += s.bytesWritten();
                merges += s.merges();
                if (s.merges() == 0 && s.inputsDeleted() == 0) {
                    break;
                }
            }
        }
        r.put("brigade.seconds", (System.nanoTime() - t0) / 1e9);
        r.put("brigade.bytesWritten", written);
        r.put("brigade.merges", merges);
        r.put("diskBytesAfter", DiskUsage.bytes(dir));
    }

    private static void measure(Queries q, TimelineData data, int users, int queries, Results r) {
        measureQueries(q, data, users, queries, r);
        long t0 = System.nanoTime();
        putScan("scan", q.fullScan(), t0, r);
        t0 = System.nanoTime();
        long[] stored = q.fullScanInStorageOrder();
        if (stored != null) {
            putScan("scanStored", stored, t0, r);
        }
    }

    /** A scan's result keys: {@code scan} is {events, bytes}, read since {@code startNanos}. */
    private static void putScan(String name, long[] scan, long startNanos, Results r) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        r.put(name + ".events", scan[0]);
        r.put(name + ".seconds", s);
        r.put(name + ".eventsPerSec", scan[0] / s);
        r.put(name + ".mbPerSec", scan[1] / s / 1e6);
    }

    private static void putCpu(String name, ThreadMXBean threads, long startNanos, Results r) {
        r.put(name + ".cpuSeconds", (threads.getCurrentThreadCpuTime() - startNanos) / 1e9);
    }

    private static void measureQueries(Queries q, TimelineData data, int users, int queries,
                                       Results r) {
        SplittableRandom rnd = TimelineData.queries(SEED);
        long[] stats = new long[4];
        // Warm-up with a different sequence of users, not recorded: as many pairs as are timed.
        // The targets compare steady states, and RocksDB's read path is native code, while ours
        // is compiled as it runs: after 2,000 pairs (the warm-up until December 2026) our p99 of
        // the second half of the timed queries was still half that of the first.
        SplittableRandom warm = new SplittableRandom(SEED + 1);
        for (int i = 0; i < queries; i++) {
            q.latest(warm.nextInt(users), stats);
            long from = data.startNanos + warm.nextLong(TimelineData.DAY_NANOS - TimelineData.HOUR_NANOS);
            q.range(warm.nextInt(users), from, from + TimelineData.HOUR_NANOS, stats);
        }
        Histogram latest = Results.histogram();
        // The p99 of each half of the timed queries as well: whether the first queries pay for
        // what the process did before them (compiling, collecting after ingest and brigade).
        Histogram[] latestHalves = {Results.histogram(), Results.histogram()};
        java.util.Arrays.fill(stats, 0);
        long found = 0;
        SlowQueries slowLatest = new SlowQueries(queries);
        for (int i = 0; i < queries; i++) {
            int user = rnd.nextInt(users);
            slowLatest.before(stats[1]);
            long t0 = System.nanoTime();
            found += q.latest(user, stats);
            long wall = System.nanoTime() - t0;
            latest.recordValue(wall);
            latestHalves[2 * i / queries].recordValue(wall);
            slowLatest.after(t0, wall, stats[1]);
        }
        r.latencies("latest", latest);
        putHalves("latest", latestHalves, r);
        slowLatest.report("latest", latest.getValueAtPercentile(99), r, System.err);
        r.put("latest.found", found);
        r.put("latest.buckets", (double) stats[0] / queries);
        r.put("latest.blocks", (double) stats[1] / queries);
        r.put("latest.footerHitRate", stats[0] == 0 ? 0 : (double) stats[2] / stats[0]);
        r.put("latest.indexFilesRead", (double) stats[3] / queries);

        Histogram range = Results.histogram();
        Histogram[] rangeHalves = {Results.histogram(), Results.histogram()};
        java.util.Arrays.fill(stats, 0);
        found = 0;
        SlowQueries slowRange = new SlowQueries(queries);
        for (int i = 0; i < queries; i++) {
            int user = rnd.nextInt(users);
            long from = data.startNanos + rnd.nextLong(TimelineData.DAY_NANOS - TimelineData.HOUR_NANOS);
            slowRange.before(stats[1]);
            long t0 = System.nanoTime();
            found += q.range(user, from, from + TimelineData.HOUR_NANOS, stats);
            long wall = System.nanoTime() - t0;
            range.recordValue(wall);
            rangeHalves[2 * i / queries].recordValue(wall);
            slowRange.after(t0, wall, stats[1]);
        }
        r.latencies("range", range);
        putHalves("range", rangeHalves, r);
        slowRange.report("range", range.getValueAtPercentile(99), r, System.err);
        r.put("range.found", found);
        r.put("range.buckets", (double) stats[0] / queries);
        r.put("range.blocks", (double) stats[1] / queries);
        r.put("range.footerHitRate", stats[0] == 0 ? 0 : (double) stats[2] / stats[0]);
        r.put("range.indexFilesRead", (double) stats[3] / queries);
    }

    /** {@code name.p99.half1} and {@code .half2}: the p99 in µs of each half of the queries. */
    private static void putHalves(String name, Histogram[] halves, Results r) {
        for (int h = 0; h < 2; h++) {
            r.put(name + ".p99.half" + (h + 1), halves[h].getValueAtPercentile(99) / 1000.0);
        }
    }

    /** The queries through the reader SDK (footer and index caches on, as an application has). */
    private static final class StoreQueries implements Queries {
        private final BucketlogReader reader;
        private final String[] keys = new String[1 << 20];

        StoreQueries(BucketlogReader reader) {
            this.reader = reader;
        }

        private String key(int user) {
            String k = keys[user];
            if (k == null) {
                k = TimelineData.keyOf(user);
                keys[user] = k;
            }
            return k;
        }

        @Override
        public int latest(int user, long[] stats) {
            try (QueryResult q = reader.query(STREAM).key(key(user)).backward().limit(LATEST)
                    .iterator()) {
                return drain(q, stats);
            }
        }

        @Override
        public int range(int user, long from, long to, long[] stats) {
            try (QueryResult q = reader.query(STREAM).key(key(user)).fromNanos(from).toNanos(to)
                    .iterator()) {
                return drain(q, stats);
            }
        }

        private static int drain(QueryResult q, long[] stats) {
            int n = 0;
            while (q.hasNext()) {
                q.next();
                n++;
            }
            QueryStats s = q.stats();
            stats[0] += s.bucketsOpened();
            stats[1] += s.blocksRead();
            stats[2] += s.footersFromCache();
            stats[3] += s.indexFilesRead();
            return n;
        }

        @Override
        public long[] fullScan() {
            return drainAll(reader.query(STREAM).forward());
        }

        @Override
        public long[] fullScanInStorageOrder() {
            return drainAll(reader.query(STREAM).storageOrder());
        }

        private static long[] drainAll(io.bucketlog.reader.Query query) {
            long n = 0;
            long bytes = 0;
            try (QueryResult q = query.iterator()) {
                while (q.hasNext()) {
                    Event e = q.next();
                    n++;
                    bytes += e.body().length + e.key().length() + 16;
                }
            }
            return new long[] {n, bytes};
        }
    }
}

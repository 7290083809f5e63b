package io.bucketlog.bench.harness;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What the slowest queries of one kind had in common: for each timed query its wall time, the
 * thread's CPU time, whether a garbage collection ran meanwhile, when it ran (since the first
 * timed query) and the blocks it read. Says whether a tail is work (CPU time as long as the wall
 * time), a pause (a collection overlapped), the first seconds of a fresh reader, or the thread
 * waiting for a core (Linux's scheduler statistics of the thread). Output only (result keys and a list on stderr), asserted nowhere.
 *
 * <p>The CPU clock and the collection counts are read outside the timed interval, so the
 * latencies the harness reports do not include them; the same for every store.
 */
final class SlowQueries {
    /** Queries listed on stderr, slowest first. */
    private static final int LISTED = 15;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();
    private final long[] startNanos;
    private final long[] wallNanos;
    private final long[] cpuNanos;
    private final long[] collections;
    private final long[] blocks;
    /** Nanoseconds the thread waited for a core (runnable, not running), from the kernel. */
    private final long[] queuedNanos;
    private final Histogram cpu = Results.histogram();
    private int n;
    private long firstStart = -1;
    private long cpuAtStart;
    private long gcAtStart;
    private long blocksAtStart;
    private long queuedAtStart;

    SlowQueries(int queries) {
        startNanos = new long[queries];
        wallNanos = new long[queries];
        cpuNanos = new long[queries];
        collections = new long[queries];
        blocks = new long[queries];
        queuedNanos = new long[queries];
        threads.setThreadCpuTimeEnabled(true);
    }

    /** Before a query's clock starts; {@code blocksSoFar} is the running count of blocks read. */
    void before(long blocksSoFar) {
        gcAtStart = collectionCount();
        blocksAtStart = blocksSoFar;
        queuedAtStart = queuedSoFar();
        cpuAtStart = threads.getCurrentThreadCpuTime();
    }

    /** After its clock stopped. */
    void after(long start, long wall, long blocksSoFar) {
        long cpuNow = threads.getCurrentThreadCpuTime();
        long queuedNow = queuedSoFar();
        if (firstStart < 0) {
            firstStart = start;
        }
        startNanos[n] = start - firstStart;
        wallNanos[n] = wall;
        cpuNanos[n] = cpuNow - cpuAtStart;
        collections[n] = collectionCount() - gcAtStart;
        blocks[n] = blocksSoFar - blocksAtStart;
        queuedNanos[n] = queuedNow - queuedAtStart;
        cpu.recordValue(Math.max(0, cpuNanos[n]));
        n++;
    }

    /**
     * The second field of Linux's {@code /proc/thread-self/schedstat}: how long this thread has
     * been runnable but waiting for a core, in ns; 0 where there is no such file.
     */
    private static long queuedSoFar() {
        try {
            String s = java.nio.file.Files.readString(SCHEDSTAT);
            int a = s.indexOf(' ');
            int b = s.indexOf(' ', a + 1);
            return Long.parseLong(s.substring(a + 1, b));
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private static final java.nio.file.Path SCHEDSTAT = java.nio.file.Path.of("/proc/thread-self/schedstat");

    /** Collections so far, of every collector of this JVM (also for {@link SlowCalls}). */
    static long collectionCount() {
        long c = 0;
        for (GarbageCollectorMXBean b : COLLECTORS) {
            c += Math.max(0, b.getCollectionCount());
        }
        return c;
    }

    /**
     * Writes {@code prefix.cpu.p50/.p99/.mean} (thread CPU per query, µs; the mean, steadier
     * from one child to the next than a percentile, for comparing builds) and, for the queries at
     * or above the wall-time p99: how many, how many overlapped a collection, how many ran in the
     * first 2 s, their median CPU time, CPU share and share waiting for a core of the wall
     * time, and their mean blocks
     * against all queries' mean; lists the slowest on {@code log}.
     */
    void report(String prefix, long p99Nanos, Results r, PrintStream log) {
        r.put(prefix + ".cpu.p50", cpu.getValueAtPercentile(50) / 1000.0);
        r.put(prefix + ".cpu.p99", cpu.getValueAtPercentile(99) / 1000.0);
        r.put(prefix + ".cpu.mean", cpu.getMean() / 1000.0);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(wallNanos[b], wallNanos[a]));
        int slow = 0;
        int withGc = 0;
        int early = 0;
        long slowBlocks = 0;
        long allBlocks = 0;
        for (int i = 0; i < n; i++) {
            allBlocks += blocks[i];
        }
        long[] slowCpu = new long[n];
        double[] share = new double[n];
        double[] queuedShare = new double[n];
        for (Integer i : order) {
            if (wallNanos[i] < p99Nanos) {
                break;
            }
            slowCpu[slow] = cpuNanos[i];
            share[slow] = (double) cpuNanos[i] / wallNanos[i];
            queuedShare[slow] = (double) queuedNanos[i] / wallNanos[i];
            slowBlocks += blocks[i];
            withGc += collections[i] > 0 ? 1 : 0;
            early += startNanos[i] < 2_000_000_000L ? 1 : 0;
            slow++;
        }
        r.put(prefix + ".slow.count", slow);
        r.put(prefix + ".slow.withGc", withGc);
        r.put(prefix + ".slow.inFirst2s", early);
        r.put(prefix + ".slow.queuedShareMedian", 0);
        if (slow > 0) {
            long[] c = Arrays.copyOf(slowCpu, slow);
            double[] s = Arrays.copyOf(share, slow);
            double[] q = Arrays.copyOf(queuedShare, slow);
            Arrays.sort(c);
            Arrays.sort(s);
            Arrays.sort(q);
            r.put(prefix + ".slow.queuedShareMedian", q[slow / 2]);
            r.put(prefix + ".slow.cpuMedianUs", c[slow / 2] / 1000.0);
            r.put(prefix + ".slow.cpuShareMedian", s[slow / 2]);
            r.put(prefix + ".slow.blocksMean", (double) slowBlocks / slow);
        }
        r.put(prefix + ".blocksMean", n == 0 ? 0 : (double) allBlocks / n);
        log.printf("%s: the %d slowest of %d queries (wall >= p99 %.0f us: %d, %d with a GC,"
                + " %d in the first 2 s)%n", prefix, Math.min(LISTED, n), n, p99Nanos / 1000.0, slow,
                withGc, early);
        for (int k = 0; k < Math.min(LISTED, n); k++) {
            int i = order[k];
            log.printf("  #%d at %.3f s: wall %.0f us, cpu %.0f us, waiting for a core %.0f us,"
                    + " GCs %d, blocks %d%n", i, startNanos[i] / 1e9, wallNanos[i] / 1000.0,
                    cpuNanos[i] / 1000.0, queuedNanos[i] / 1000.0, collections[i], blocks[i]);
        }
    }
}

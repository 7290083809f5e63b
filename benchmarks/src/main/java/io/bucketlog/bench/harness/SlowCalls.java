package io.bucketlog.bench.harness;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * What the slow calls of a paced run had in common, for a diagnosis run only (system property
 * {@code bench.slowCallMicros}: the wall time above which a call counts as slow): for each, when
 * it started, its wall time, the calling thread's CPU time meanwhile and whether a collection
 * overlapped. A call whose CPU time is its wall time did the work itself (page faults count as
 * its CPU); one with little CPU was stopped (a safepoint) or waited for a core. Each is listed
 * with its JVM uptime, to compare with {@code -Xlog:safepoint} or {@code -Xlog:gc} stamps, and its
 * {@code System.nanoTime()}, which is the clock of {@code perf record -k mono} (page faults,
 * context switches of one thread at the same moment).
 *
 * <p>Reading the thread's CPU clock costs a system call on each side of every call, so these
 * runs' latencies are not the harness's figures; the same for every configuration.
 */
final class SlowCalls {
    private static final int MAX = 100_000;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long thresholdNanos;
    private final long[] startNanos = new long[MAX];
    private final long[] wallNanos = new long[MAX];
    private final long[] cpuNanos = new long[MAX];
    private final long[] collections = new long[MAX];
    private int n;
    private long calls;
    private long cpuAtStart;
    private long gcAtStart;
    /** The JVM's uptime at {@link #originNanos}, to compare with its logs' uptime stamps. */
    private final long originUptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
    private final long originNanos = System.nanoTime();

    private SlowCalls(long thresholdNanos) {
        this.thresholdNanos = thresholdNanos;
        threads.setThreadCpuTimeEnabled(true);
    }

    /** The diagnosis asked for by {@code bench.slowCallMicros}, or null when it is not set. */
    static SlowCalls fromProperty() {
        String micros = System.getProperty("bench.slowCallMicros");
        return micros == null ? null : new SlowCalls(Long.parseLong(micros) * 1000);
    }

    void before() {
        gcAtStart = SlowQueries.collectionCount();
        cpuAtStart = threads.getCurrentThreadCpuTime();
    }

    /** After a call that started at {@code start} ({@link System#nanoTime()}) and took {@code wall}. */
    void after(long start, long wall) {
        long cpu = threads.getCurrentThreadCpuTime() - cpuAtStart;
        calls++;
        if (wall < thresholdNanos || n == MAX) {
            return;
        }
        startNanos[n] = start;
        wallNanos[n] = wall;
        cpuNanos[n] = cpu;
        collections[n] = SlowQueries.collectionCount() - gcAtStart;
        n++;
    }

    /**
     * Writes {@code slowCalls.*}: how many, how many mostly on the CPU (at least 80% of the wall
     * time), how many overlapped a collection, the median gap between two; lists them on
     * {@code log}.
     */
    void report(Results r, PrintStream log) {
        int onCpu = 0;
        int withGc = 0;
        long[] gaps = new long[Math.max(0, n - 1)];
        for (int i = 0; i < n; i++) {
            onCpu += cpuNanos[i] >= 0.8 * wallNanos[i] ? 1 : 0;
            withGc += collections[i] > 0 ? 1 : 0;
            if (i > 0) {
                gaps[i - 1] = startNanos[i] - startNanos[i - 1];
            }
        }
        Arrays.sort(gaps);
        r.put("slowCalls.count", n);
        r.put("slowCalls.of", calls);
        r.put("slowCalls.onCpu", onCpu);
        r.put("slowCalls.withGc", withGc);
        r.put("slowCalls.gapMedianMs", gaps.length == 0 ? 0 : gaps[gaps.length / 2] / 1e6);
        log.printf("slow calls (wall >= %d us): %d of %d, %d mostly on the CPU, %d with a GC%n",
                thresholdNanos / 1000, n, calls, onCpu, withGc);
        for (int i = 0; i < n; i++) {
            log.printf("  at %.3f s of JVM uptime (nanoTime %d): wall %.1f us, cpu %.1f us, GCs %d%n",
                    originUptimeMillis / 1e3 + (startNanos[i] - originNanos) / 1e9, startNanos[i],
                    wallNanos[i] / 1000.0, cpuNanos[i] / 1000.0, collections[i]);
        }
    }
}

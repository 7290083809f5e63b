package io.bucketlog.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The logging workload, the same for every configuration: {@code logger.info("order {} processed
 * for user {} in {} ms", ...)} with the user id also in the MDC. Run inside a child JVM by
 * {@link Log4j2Child} or {@link LogbackChild}, which supply the framework calls.
 *
 * <p>Child arguments: {@code resultFile mode threads events outputDir outputKind}, where mode is
 * {@code throughput} (threads log as fast as they can; the time runs until the logging context
 * has stopped, so the drain is included) or {@code paced} (one thread at {@value
 * HarnessOptions#PACED_RATE} events/s, each call timed; the first tenth is warm-up).
 */
final class LoggingWorkload {
    static final String STREAM = "bench";
    static final String MESSAGE = "order {} processed for user {} in {} ms";
    static final String MDC_KEY = "userId";
    private static final String[] USERS = new String[10_000];

    static {
        for (int i = 0; i < USERS.length; i++) {
            USERS[i] = "user-" + (100_000 + i * 7);
        }
    }

    /** One framework's logging call and shutdown. */
    interface Target {
        /** Sets the MDC user id and logs the message with these arguments. */
        void log(String user, Long orderId, Integer millis);

        /** Stops the logging context: drains every queue and closes the files. */
        void stop();
    }

    private LoggingWorkload() {
    }

    static void run(String[] args, Target target) throws InterruptedException, IOException {
        Path resultFile = Path.of(args[0]);
        String mode = args[1];
        int threads = Integer.parseInt(args[2]);
        long events = Long.parseLong(args[3]);
        Path out = Path.of(args[4]);
        LogConfig.Output kind = LogConfig.Output.valueOf(args[5]);
        Results r = new Results();
        switch (mode) {
            case "throughput" -> throughput(target, threads, events, r);
            case "paced" -> paced(target, events, Integer.parseInt(args[6]), r);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        // A floor discards by design: it has nothing to count, and what it "persists" is what it
        // was given, so that its rate is that of the calls.
        Files.createDirectories(out);
        long persisted = switch (kind) {
            case STORE -> DiskUsage.storedEvents(out, STREAM);
            case TEXT -> DiskUsage.lines(out);
            case NONE -> events;
        };
        r.put("persisted", persisted);
        r.put("diskBytes", DiskUsage.bytes(out));
        r.write(resultFile);
    }

    /**
     * {@code -Dbench.users=random}: each event's user drawn at random (a fixed function of the
     * event's number) instead of the next one in turn, for by-hand runs of the bytes on disk of a
     * service whose users do not log in turn; the harness's rows keep users in turn.
     */
    private static final boolean USERS_AT_RANDOM =
            "random".equals(System.getProperty("bench.users"));

    private static void call(Target target, long i) {
        long u = USERS_AT_RANDOM ? Long.remainderUnsigned(mix(i), USERS.length) : i % USERS.length;
        target.log(USERS[(int) u], i, (int) (i % 500));
    }

    /** SplitMix64's finaliser: a well-spread function of the event's number, the same every run. */
    private static long mix(long i) {
        long z = i * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void throughput(Target target, int threads, long events, Results r)
            throws InterruptedException {
        // A short warm-up outside the timed part, so that the first measured events are not
        // interpreted; it is part of what is persisted, and counted as produced.
        long warm = Math.min(events / 10, 100_000);
        for (long i = 0; i < warm; i++) {
            call(target, i);
        }
        long per = (events - warm) / threads;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        AtomicLong producerCpu = new AtomicLong();
        for (int t = 0; t < threads; t++) {
            long from = warm + t * per;
            long to = t == threads - 1 ? events : from + per;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
                long cpu0 = cpu.getCurrentThreadCpuTime();
                for (long i = from; i < to; i++) {
                    call(target, i);
                }
                producerCpu.addAndGet(cpu.getCurrentThreadCpuTime() - cpu0);
            }, "producer-" + t);
            producers.add(th);
            th.start();
        }
        Map<Long, Long> background = backgroundCpuNanos(Map.of());
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        go.countDown();
        for (Thread th : producers) {
            th.join();
        }
        long produced = System.nanoTime();
        // Read before stop(), which ends the appenders' threads: the events still queued then
        // (at most a ring or queue) are not in this figure.
        long backgroundCpu = backgroundCpuNanos(background).values().stream()
                .mapToLong(Long::longValue).sum();
        target.stop();
        long stopped = System.nanoTime();
        long cpu = processCpuNanos() - cpuStart;
        r.put("produced", events);
        r.put("cpuSeconds", cpu / 1e9);
        r.put("producerCpuSeconds", producerCpu.get() / 1e9);
        r.put("backgroundCpuSeconds", backgroundCpu / 1e9);
        r.put("timedEvents", events - warm);
        r.put("seconds", (stopped - start) / 1e9);
        r.put("produceSeconds", (produced - start) / 1e9);
    }

    /**
     * CPU time of every live thread that is neither this one nor a producer (the bucket writer,
     * Log4j2's or Logback's async thread), as thread id to nanoseconds since {@code since}'s
     * reading (0 for a thread not in it): what the logging work costs off the calling threads.
     */
    private static Map<Long, Long> backgroundCpuNanos(Map<Long, Long> since) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t == Thread.currentThread() || t.getName().startsWith("producer-")) {
                continue;
            }
            long ns = cpu.getThreadCpuTime(t.getId());
            if (ns >= 0) {
                out.put(t.getId(), ns - since.getOrDefault(t.getId(), 0L));
            }
        }
        return out;
    }

    /**
     * CPU time of the whole JVM (every thread, GC and JIT included): on a shared machine the
     * wall-clock rate depends on what else runs, the CPU an event costs much less.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void paced(Target target, long events, int rate, Results r) {
        Histogram h = Results.histogram();
        long warm = events / 10;
        long interval = 1_000_000_000L / rate;
        SlowCalls slow = SlowCalls.fromProperty();
        long start = System.nanoTime();
        for (long i = 0; i < events; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            if (slow != null) {
                slow.before();
            }
            long t0 = System.nanoTime();
            call(target, i);
            long t1 = System.nanoTime();
            if (i >= warm) {
                h.recordValue(t1 - t0);
                if (slow != null) {
                    slow.after(t0, t1 - t0);
                }
            }
        }
        long end = System.nanoTime();
        if (slow != null) {
            slow.report(r, System.err);
        }
        target.stop();
        r.put("produced", events);
        r.put("seconds", (end - start) / 1e9);
        r.latencies("latency", h);
    }
}

package io.bucketlog.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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

    private static void call(Target target, long i) {
        String user = USERS[(int) (i % USERS.length)];
        target.log(user, i, (int) (i % 500));
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
                for (long i = from; i < to; i++) {
                    call(target, i);
                }
            }, "producer-" + t);
            producers.add(th);
            th.start();
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread th : producers) {
            th.join();
        }
        long produced = System.nanoTime();
        target.stop();
        long stopped = System.nanoTime();
        r.put("produced", events);
        r.put("timedEvents", events - warm);
        r.put("seconds", (stopped - start) / 1e9);
        r.put("produceSeconds", (produced - start) / 1e9);
    }

    private static void paced(Target target, long events, int rate, Results r) {
        Histogram h = Results.histogram();
        long warm = events / 10;
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (long i = 0; i < events; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            long t0 = System.nanoTime();
            call(target, i);
            long t1 = System.nanoTime();
            if (i >= warm) {
                h.recordValue(t1 - t0);
            }
        }
        long end = System.nanoTime();
        target.stop();
        r.put("produced", events);
        r.put("seconds", (end - start) / 1e9);
        r.latencies("latency", h);
    }
}

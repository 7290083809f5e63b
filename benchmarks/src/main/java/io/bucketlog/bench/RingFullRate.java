package io.bucketlog.bench;

import io.bucketlog.EventFiller;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.bench.harness.DiskUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stored rate under overload: {@code producers} threads append as fast as they can, so the
 * ring is full all the time, and the rate that counts is what the bucket writer stores, under
 * {@code drop} and under {@code block}. Producers that compete with the writer thread for the
 * cores lower it; that is what this measures. Each run uses a fresh store; the median of the runs
 * is printed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.bucketlog.bench.RingFullRate [producers] [seconds] [runs]
 * </pre>
 */
public final class RingFullRate {
    private static final String BODY = "order 1234567 processed for user user-100042 in 17 ms";
    private static final EventFiller<long[]> FILLER = (i, slot) -> {
        slot.key("user-100042");
        slot.timestampNanos(System.currentTimeMillis() * 1_000_000L);
        slot.attribute("level", "INFO");
        slot.attribute("logger", "io.bucketlog.bench.Orders");
        slot.attribute("thread", "main");
        slot.bodyText().append(BODY);
    };

    private RingFullRate() {
    }

    public static void main(String[] args) throws Exception {
        int producers = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (RingFullPolicy policy : new RingFullPolicy[] {RingFullPolicy.DROP, RingFullPolicy.BLOCK}) {
            double[] rates = new double[runs];
            for (int r = 0; r < runs; r++) {
                rates[r] = run(policy, producers, seconds);
            }
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            System.out.printf("%s: %d producers, stored %.2f M events/s (median of %s)%n",
                    policy.name().toLowerCase(java.util.Locale.ROOT), producers, sorted[runs / 2] / 1e6,
                    Arrays.toString(Arrays.stream(rates).map(x -> Math.round(x / 1e4) / 100.0).toArray()));
        }
    }

    /** Events stored per second during the measured part of one run (the first second warms up). */
    private static double run(RingFullPolicy policy, int producers, double seconds) throws Exception {
        Path dir = Files.createTempDirectory("bucketlog-ringfull");
        try (Store store = Store.open(dir)) {
            store.createStream("bench", StreamConfig.builder().bucketBytes(256L << 20).build());
            Writer writer = store.writer(WriterOptions.builder().ringFullPolicy(policy)
                    .closeOnJvmShutdown(false).build());
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                Thread t = new Thread(() -> {
                    long[] arg = new long[1];
                    while (!stop.get()) {
                        writer.append("bench", 300, FILLER, arg);
                    }
                }, "producer-" + p);
                t.start();
                threads.add(t);
            }
            Thread.sleep(1000);
            long start = System.nanoTime();
            long before = writer.stats().written();
            Thread.sleep((long) (seconds * 1000));
            long after = writer.stats().written();
            long elapsed = System.nanoTime() - start;
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            writer.close();
            return (after - before) * 1e9 / elapsed;
        } finally {
            DiskUsage.delete(dir);
        }
    }
}

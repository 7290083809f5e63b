package io.bucketlog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

/**
 * The writer process of {@link CrashTest}: appends events numbered {@code round * 1_000_000 + i}
 * and, after each successful flush, prints {@code F n}: events 0..n-1 of this round are handed to
 * the OS. Tiny buckets, one-second windows, late events and few open buckets make rotation,
 * idle sealing and eviction happen all the time, so a kill lands in the middle of them.
 *
 * <p>Arguments: store directory, round, {@code kill} (append until killed) or {@code close}
 * (append {@link #CLOSE_EVENTS} events, close the writer, print {@code DONE n}).
 */
public final class CrashChild {
    static final String STREAM = "crash";
    static final int CLOSE_EVENTS = 3000;
    static final long ROUND = 1_000_000L;

    static final StreamConfig CONFIG = StreamConfig.builder().bucketBytes(4096).blockBytes(512)
            .bucketWidth(Duration.ofSeconds(1)).indexWindow(Duration.ofSeconds(2)).build();

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        boolean close = args[2].equals("close");
        Random random = new Random(round);
        Store store = Store.open(dir);
        store.createStream(STREAM, CONFIG);
        Writer w = store.writer(WriterOptions.builder().ringSize(1024).ringFullPolicy(RingFullPolicy.BLOCK)
                .sealGrace(Duration.ofMillis(50)).maxOpenBuckets(3).closeOnJvmShutdown(false)
                .errorListener((m, c) -> System.err.println("writer error: " + m + " " + c)).build());
        System.out.println("W " + w.writerId());
        System.out.flush();
        int limit = close ? CLOSE_EVENTS : Integer.MAX_VALUE;
        for (int i = 0; i < limit; i++) {
            long ts = System.currentTimeMillis() * 1_000_000L + i % 1000;
            if (random.nextInt(8) == 0) {
                ts -= (long) (random.nextDouble() * 3e9); // up to 3 s late: an older window
            }
            w.append(STREAM, "k" + i % 5, ts, Map.of("round", Integer.toString(round)),
                    Fixtures.body(round * ROUND + i, 100 + i % 50));
            if (i % 16 == 15) {
                if (!w.flush(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("flush timed out");
                }
                System.out.println("F " + (i + 1));
                System.out.flush();
                Thread.sleep(1);
            }
        }
        w.close();
        store.close();
        System.out.println("DONE " + limit);
        System.out.flush();
    }
}

package io.bucketlog.bench.harness;

import io.bucketlog.EventFiller;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The writing process of {@link TailChild}: appends {@code eventsPerSecond} events a second for
 * {@code seconds}, each stamped with the wall clock just before it is appended, with the default
 * writer options (blocks reach the OS, or an object store's spool, at the end of each ring
 * batch). Writes the requests its store made to {@code requestsFile} (none for a local store).
 *
 * <p>Arguments: {@code location eventsPerSecond seconds requestsFile}.
 */
public final class TailWriterChild {
    private static final byte[] BODY = "GET /api/orders 200 12ms".getBytes(StandardCharsets.UTF_8);
    private static final EventFiller<long[]> FILLER = (ts, slot) -> {
        slot.key("tail");
        slot.timestampNanos(ts[0]);
        slot.body(BODY, 0, BODY.length);
    };

    private TailWriterChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        String location = args[0];
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        long total = (long) rate * seconds;
        long interval = 1_000_000_000L / rate;
        long[] ts = new long[1];
        Results results = new Results();
        try (Store store = Store.open(location)) {
            try (Writer w = store.writer()) {
                long start = System.nanoTime();
                for (long i = 0; i < total; i++) {
                    long due = start + i * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    ts[0] = TailChild.wallNanos();
                    if (!w.append(TailChild.STREAM, 0, FILLER, ts)) {
                        throw new IllegalStateException("event " + i + " was dropped");
                    }
                }
                results.put("writer.seconds", (System.nanoTime() - start) / 1e9);
            }
            S3Requests.report(store, results, "writer");
        }
        results.write(Path.of(args[3]));
    }
}

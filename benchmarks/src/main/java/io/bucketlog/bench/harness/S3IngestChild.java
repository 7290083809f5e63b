package io.bucketlog.bench.harness;

import io.bucketlog.EventFiller;
import io.bucketlog.EventScan;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Ingest into an object store: one thread appends {@code events} log-sized events as fast as the
 * writer takes them (ring policy {@code block}); the clock stops when the store is closed, that
 * is when every bucket is sealed and uploaded. Another "host" (its own location and spool) then
 * counts what the store holds. Reports the writer's requests.
 *
 * <p>Arguments: {@code resultFile writerLocation readerLocation events}.
 */
public final class S3IngestChild {
    static final String STREAM = "ingest";
    private static final byte[] BODY = ("GET /api/orders/12345 200 12ms user=u-42 "
            + "trace=4bf92f3577b34da6a3ce929d0e0e4736").getBytes(StandardCharsets.UTF_8);
    private static final EventFiller<long[]> FILLER = (n, slot) -> {
        slot.key("user-" + n[0] % 1000);
        slot.timestampNanos(n[1]);
        slot.attribute("level", "INFO");
        slot.body(BODY, 0, BODY.length);
    };

    private S3IngestChild() {
    }

    public static void main(String[] args) {
        long events = Long.parseLong(args[3]);
        Results results = new Results();
        long start;
        Store store = Store.open(args[1]);
        try {
            store.createStream(STREAM, StreamConfig.builder().bucketBytes(32L << 20).build());
            start = System.nanoTime();
            try (Writer w = store.writer(WriterOptions.builder().ringFullPolicy(RingFullPolicy.BLOCK)
                    .closeOnJvmShutdown(false).build())) {
                long[] n = new long[2];
                for (long i = 0; i < events; i++) {
                    n[0] = i;
                    n[1] = TailChild.wallNanos();
                    if (!w.append(STREAM, 0, FILLER, n)) {
                        throw new IllegalStateException("event " + i + " was dropped");
                    }
                }
            }
        } finally {
            store.close(); // the backend uploads what is left before it returns
        }
        results.put("seconds", (System.nanoTime() - start) / 1e9);
        S3Requests.report(store, results, "writer");
        long stored = 0;
        try (Store other = Store.openExisting(args[2]); EventScan scan = other.scan(ScanRequest.all(STREAM))) {
            while (scan.hasNext()) {
                scan.next();
                stored++;
            }
        }
        results.put("produced", events).put("persisted", stored).write(Path.of(args[0]));
    }
}

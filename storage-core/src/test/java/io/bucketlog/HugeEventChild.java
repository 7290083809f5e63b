package io.bucketlog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * The small-heap process of {@link HugeEventTest}: appends events far larger than the writer's
 * limits with default writer options, then one ordinary event, flushes, and prints the counters
 * and the heap still in use once its own huge values are garbage:
 * {@code STATS appended written lost truncated sanitised failedError} and {@code HEAP bytes}.
 *
 * <p>Arguments: store directory, and what to append: {@code text} (20 text bodies of 96 MiB),
 * {@code binary} (64 binary bodies of 15 MB), {@code attributes} (20 events of 100,000
 * attributes) or {@code key} (an event whose key is 32 MiB).
 */
public final class HugeEventChild {
    static final String STREAM = "huge";
    static final int TEXT_CHARS = 96 << 20;
    static final int BINARY_BYTES = 15_000_000;
    static final int ATTRIBUTES = 100_000;
    static final int KEY_CHARS = 32 << 20;

    private HugeEventChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String mode = args[1];
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, StreamConfig.builder().bucketBytes(64 << 20).build());
            Writer w = store.writer(WriterOptions.builder().closeOnJvmShutdown(false)
                    .errorListener((m, c) -> System.err.println("writer error: " + m + " " + c)).build());
            appendHuge(w, mode);
            w.append(STREAM, "small", now(), java.util.Map.of("n", "last"), "last".getBytes());
            if (!w.flush(Duration.ofSeconds(60))) {
                throw new IllegalStateException("flush timed out");
            }
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long heap = rt.totalMemory() - rt.freeMemory();
            WriterStats s = w.stats();
            System.out.println("STATS " + s.appended() + " " + s.written() + " " + s.lost() + " "
                    + s.truncated() + " " + s.sanitised() + " " + s.failedError());
            System.out.println("HEAP " + heap);
            w.close();
        }
    }

    private static void appendHuge(Writer w, String mode) {
        switch (mode) {
            case "text" -> {
                String body = "x".repeat(TEXT_CHARS);
                for (int i = 0; i < 20; i++) {
                    int n = i;
                    w.append(STREAM, 0, (String b, EventSlot slot) -> slot.key("text")
                            .timestampNanos(now()).attribute("n", Integer.toString(n)).bodyText(b), body);
                }
            }
            case "binary" -> {
                byte[] body = new byte[BINARY_BYTES];
                Arrays.fill(body, (byte) 'b');
                for (int i = 0; i < 64; i++) {
                    w.append(STREAM, "binary", now(), java.util.Map.of("n", Integer.toString(i)), body);
                }
            }
            case "attributes" -> {
                for (int i = 0; i < 20; i++) {
                    w.append(STREAM, 0, (Integer n, EventSlot slot) -> {
                        slot.key("attributes").timestampNanos(now()).attribute("n", Integer.toString(n));
                        for (int a = 0; a < ATTRIBUTES; a++) {
                            slot.attribute("a" + a, "value");
                        }
                    }, i);
                }
            }
            case "key" -> {
                String key = "k".repeat(KEY_CHARS);
                w.append(STREAM, 0, (String k, EventSlot slot) -> slot.key(k).timestampNanos(now())
                        .attribute("n", "0"), key);
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }

    private static long now() {
        return System.currentTimeMillis() * 1_000_000L;
    }
}

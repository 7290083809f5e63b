package io.bucketlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/** Shared test data: events whose body can be recomputed from their number, and scan helpers. */
final class Fixtures {
    static final long SECOND = 1_000_000_000L;
    static final long HOUR = 3600 * SECOND;

    private Fixtures() {
    }

    /** A body of {@code size} pseudo-random bytes that starts with "n:" and is a function of n. */
    static byte[] body(long n, int size) {
        byte[] prefix = (n + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[Math.max(size, prefix.length)];
        System.arraycopy(prefix, 0, b, 0, prefix.length);
        Random r = new Random(n); // not SplittableRandom: its streams for n and n+1 are shifts of each other
        for (int i = prefix.length; i < b.length; i++) {
            b[i] = (byte) ('a' + r.nextInt(26));
        }
        return b;
    }

    /** The number an event body made by {@link #body} starts with. */
    static long numberOf(Event e) {
        String s = new String(e.body(), 0, Math.min(e.body().length, 24), StandardCharsets.US_ASCII);
        return Long.parseLong(s.substring(0, s.indexOf(':')));
    }

    /** Whether the event's body is exactly what {@link #body} makes for its number and size. */
    static boolean intact(Event e) {
        long n;
        try {
            n = numberOf(e);
        } catch (RuntimeException notANumber) {
            return false;
        }
        return java.util.Arrays.equals(e.body(), body(n, e.body().length));
    }

    static WriterOptions.Builder options() {
        return WriterOptions.builder().closeOnJvmShutdown(false);
    }

    /** Current time in nanoseconds, aligned so tests can place events in known windows. */
    static long nowNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    static List<Event> readAll(Store store, ScanRequest r) {
        List<Event> out = new ArrayList<>();
        try (EventScan scan = store.scan(r)) {
            scan.forEachRemaining(out::add);
            assertThat(scan.corruptions()).isEmpty();
        }
        return out;
    }

    static void flush(Writer w) {
        assertThat(w.flush(Duration.ofSeconds(20))).as("flush within 20 s").isTrue();
    }

    /** Waits for a condition the writer thread makes true; fails after 20 s. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20 * SECOND;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}

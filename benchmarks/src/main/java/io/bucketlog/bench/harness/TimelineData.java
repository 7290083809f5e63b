package io.bucketlog.bench.harness;

import java.util.SplittableRandom;

/**
 * The timeline workload's events, generated the same way (same seed) for every store: {@code
 * events} events of {@code users} users spread evenly over the day before {@code endNanos},
 * 150-byte bodies, and 1% of events late by up to a further day. One mutable event, reused:
 * {@link #next()} overwrites it.
 */
final class TimelineData {
    static final long DAY_NANOS = 86_400_000_000_000L;
    static final long HOUR_NANOS = 3_600_000_000_000L;
    static final int BODY_BYTES = 150;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TEMPLATE = ("{\"type\":\"page_view\",\"page\":\"/products/000000\","
            + "\"session\":\"0000000000000000\",\"ms\":0000,\"ref\":\"campaign-00\",\"ua\":\"Mozilla/5.0 (X11; Linux x86_64)")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final SplittableRandom random;
    private final long events;
    private final int users;
    final long startNanos;
    final long endNanos;
    private long produced;

    /** The current event. */
    final byte[] key = new byte[8];
    final byte[] body = new byte[BODY_BYTES];
    long timestampNanos;
    long sequence;
    int user;

    TimelineData(long seed, long events, int users, long endNanos) {
        this.random = new SplittableRandom(seed);
        this.events = events;
        this.users = users;
        this.endNanos = endNanos;
        this.startNanos = endNanos - DAY_NANOS;
        System.arraycopy(TEMPLATE, 0, body, 0, Math.min(TEMPLATE.length, BODY_BYTES));
        for (int i = TEMPLATE.length; i < BODY_BYTES; i++) {
            body[i] = ' ';
        }
        body[BODY_BYTES - 1] = '}';
    }

    /** A user's key: 8 ASCII characters, so that keys sort like user numbers. */
    static String keyOf(int user) {
        // Not String.format: the key is made inside the timed query, and formatting cost more
        // than a tenth of a "latest 50" there; RocksDB's side fills bytes with keyBytes.
        byte[] b = new byte[8];
        keyBytes(user, b);
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static void keyBytes(int user, byte[] out) {
        out[0] = 'u';
        int v = user;
        for (int i = 7; i >= 1; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    boolean next() {
        if (produced == events) {
            return false;
        }
        sequence = produced;
        user = random.nextInt(users);
        keyBytes(user, key);
        long ts = startNanos + (long) ((double) produced / events * DAY_NANOS);
        if (random.nextInt(100) == 0) {
            ts -= random.nextLong(DAY_NANOS);
        }
        timestampNanos = ts;
        // Vary the product, session and timing fields as real events do; the rest repeats.
        writeDigits(38, 6, random.nextInt(1_000_000));
        long session = random.nextLong();
        for (int i = 0; i < 16; i++) {
            body[57 + i] = HEX[(int) (session >>> (i * 4)) & 15];
        }
        writeDigits(80, 4, random.nextInt(10_000));
        produced++;
        return true;
    }

    private void writeDigits(int at, int n, int value) {
        int v = value;
        for (int i = at + n - 1; i >= at; i--) {
            body[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    /** A query generator independent of the data's random sequence, the same for every store. */
    static SplittableRandom queries(long seed) {
        return new SplittableRandom(seed * 31 + 7);
    }
}

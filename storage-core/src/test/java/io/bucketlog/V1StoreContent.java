package io.bucketlog;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the checked-in version-1 store ({@code src/test/resources/v1-store}) holds, as a function of
 * each event's number: {@link V1StoreGenerator} appended exactly these events, and
 * {@code Version1StoreTest} expects exactly these back. Timestamps are fixed instants, not the
 * time of generation, so the expected events do not depend on when the store was made.
 */
final class V1StoreContent {
    static final String LOGS = "logs";
    static final String TIMELINE = "timeline";
    /** Events of the writer whose buckets were sealed (it was closed). */
    static final int SEALED_EVENTS = 360;
    /** Events of the writer that was halted after a flush: its buckets are open (crashed). */
    static final int CRASHED_EVENTS = 150;

    static final StreamConfig LOGS_CONFIG = StreamConfig.builder().bucketBytes(4096).blockBytes(512)
            .compression(Compression.LZ4).build();
    static final StreamConfig TIMELINE_CONFIG = StreamConfig.builder().bucketBytes(64 * 1024)
            .blockBytes(1024).compression(Compression.NONE).build();

    private static final long BASE = nanos("2026-12-01T08:00:00Z");
    /** In an index window that ended long before the store was made: late buckets. */
    private static final long LATE_BASE = nanos("2026-11-20T05:00:00Z");
    private static final String[] LOGGERS = {"com.example.Orders", "com.example.Payments",
        "com.example.Auth", "com.example.Search"};
    private static final String[] LEVELS = {"INFO", "DEBUG", "WARN", "ERROR", "TRACE"};
    private static final String[] TYPES = {"login", "view", "purchase"};

    private V1StoreContent() {
    }

    /** One event as appended; {@code sequence} is its number in its writer's append order. */
    record Spec(String stream, String key, long timestampNanos, Map<String, String> attributes,
                byte[] body) {
    }

    /** Event {@code i} of the sealed ({@code crashed == false}) or the crashed writer. */
    static Spec event(boolean crashed, int i) {
        String stream = i % 3 == 2 ? TIMELINE : LOGS;
        long ts;
        if (i % 40 == 7) {
            ts = LATE_BASE + i * 1_000_000L + (crashed ? 500_000L : 0);
        } else if (crashed) {
            ts = BASE + Duration.ofHours(2).toNanos() + i * 10_000_000_000L + 123;
        } else {
            ts = BASE + i * 20_000_000_000L - (i % 4) * 3_000_000_000L + i;
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        String key;
        byte[] body;
        String tag = crashed ? "crashed" : "sealed";
        if (stream.equals(LOGS)) {
            key = i % 50 == 0 ? "" : LOGGERS[i % LOGGERS.length];
            attrs.put("level", LEVELS[i % LEVELS.length]);
            attrs.put("thread", "worker-" + i % 3);
            if (i % 9 == 0) {
                attrs.put("stack", ("at com.example.Frame" + i + ".run(Frame.java:" + i + ")\n").repeat(3));
            }
            body = (tag + " message " + i + " \u00e9t\u00e9 \u2603 " + "x".repeat(i % 37))
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            key = "user-" + i % 7;
            attrs.put("type", TYPES[i % TYPES.length]);
            body = Fixtures.body((crashed ? 1_000_000L : 0) + i, 20 + i % 90);
        }
        return new Spec(stream, key, ts, attrs, body);
    }

    static int count(boolean crashed) {
        return crashed ? CRASHED_EVENTS : SEALED_EVENTS;
    }

    private static long nanos(String instant) {
        Instant t = Instant.parse(instant);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}

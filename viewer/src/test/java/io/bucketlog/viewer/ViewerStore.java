package io.bucketlog.viewer;

import io.bucketlog.LogAttributes;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.samples.log4j2.OrderServiceLog4j2;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The store the viewer tests read: {@code orders} logged by the Log4j2 sample (with stack traces),
 * {@code app} written through the writer API over the last hour (with an error burst, so the
 * histogram has a shape), {@code hostile}, whose values are markup and quote-breaking text, and
 * {@code live}, which the live-tail test writes to from other processes.
 */
final class ViewerStore {
    static final int ORDERS = 2000;
    static final int APP_EVENTS = 1200;
    static final long MINUTE = 60_000_000_000L;
    static final String SCRIPT_BODY = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\">";
    static final String HOSTILE_KEY = "\"><img src=x onerror=window.__xss=3>";
    static final String HOSTILE_ATTRIBUTE = "' onmouseover='window.__xss = 4' \"><svg onload=\"window.__xss = 5\">";

    private ViewerStore() {
    }

    /** Writes the three streams; events of {@code app} end about a minute before now. */
    static void write(Path dir) throws Exception {
        OrderServiceLog4j2.run(dir.toString(), ORDERS);
        long now = System.currentTimeMillis() * 1_000_000L;
        try (Store store = Store.open(dir)) {
            StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20).blockBytes(4096).build();
            store.createStream("app", config);
            store.createStream("hostile", config);
            store.createStream("live", config);
            try (Writer w = store.writer(options())) {
                String[] paths = {"/api/orders", "/api/users", "/api/cart", "/health"};
                for (int i = 0; i < APP_EVENTS; i++) {
                    // spread over 58 minutes, a burst of errors around 20 minutes ago
                    long ts = now - 59 * MINUTE + i * (58 * MINUTE / APP_EVENTS);
                    boolean burst = ts > now - 22 * MINUTE && ts < now - 18 * MINUTE;
                    String level = burst && i % 2 == 0 ? "ERROR" : i % 17 == 0 ? "WARN" : "INFO";
                    Map<String, String> attrs = new HashMap<>();
                    attrs.put(LogAttributes.LEVEL, level);
                    attrs.put(LogAttributes.LOGGER, "com.example.web.RequestLog");
                    attrs.put(LogAttributes.THREAD, "http-" + (i % 8));
                    attrs.put(LogAttributes.CONTEXT_PREFIX + "tenant", i % 3 == 0 ? "acme" : "globex");
                    String path = paths[i % paths.length];
                    String body = level.equals("ERROR")
                            ? "request " + i + " GET " + path + " failed: upstream timeout"
                            : "request " + i + " GET " + path + " 200 in " + (5 + i % 90) + " ms";
                    w.append("app", "user-" + (i % 12), ts, attrs, body.getBytes(StandardCharsets.UTF_8));
                    if (burst) {
                        w.append("app", "user-" + (i % 12), ts + 1, attrs,
                                ("retry of request " + i + " failed").getBytes(StandardCharsets.UTF_8));
                    }
                }
                Map<String, String> hostile = new HashMap<>();
                hostile.put(LogAttributes.LEVEL, "ERROR");
                hostile.put(LogAttributes.LOGGER, "<b>bold</b>.Logger");
                hostile.put(LogAttributes.CONTEXT_PREFIX + "note", HOSTILE_ATTRIBUTE);
                hostile.put(LogAttributes.THROWN, "java.lang.IllegalStateException: </pre><script>window.__xss=6</script>\n\tat x.y(Z.java:1)");
                hostile.put(LogAttributes.THROWN_CLASS, "java.lang.IllegalStateException");
                w.append("hostile", HOSTILE_KEY, now - 5 * MINUTE, hostile,
                        SCRIPT_BODY.getBytes(StandardCharsets.UTF_8));
                w.append("hostile", HOSTILE_KEY, now - 4 * MINUTE, Map.of(LogAttributes.LEVEL, "INFO"),
                        "a plain event of the same key".getBytes(StandardCharsets.UTF_8));
                if (!w.flush(Duration.ofSeconds(30))) {
                    throw new AssertionError("flush timed out");
                }
            }
        }
    }

    /** Events of {@code app} that the burst doubled: counted the way {@link #write} writes them. */
    static int appEventCount() {
        long now = 0;
        int n = 0;
        for (int i = 0; i < APP_EVENTS; i++) {
            long ts = now - 59 * MINUTE + i * (58 * MINUTE / APP_EVENTS);
            n += ts > now - 22 * MINUTE && ts < now - 18 * MINUTE ? 2 : 1;
        }
        return n;
    }

    static WriterOptions options() {
        return WriterOptions.builder().ringFullPolicy(RingFullPolicy.BLOCK).closeOnJvmShutdown(false).build();
    }
}

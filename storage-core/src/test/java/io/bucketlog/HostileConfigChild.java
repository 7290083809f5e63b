package io.bucketlog;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run in a small-heap child JVM by {@link HostileConfigTest}: every way a process meets a stream's
 * configuration, each printing {@code OK} or {@code ERR <message>}. An {@code OutOfMemoryError}
 * is not caught: it ends the process with a non-zero exit and fails the test.
 */
public final class HostileConfigChild {
    private HostileConfigChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20).build();
        try (Store store = Store.openExisting(List.of(dir))) {
            attempt("find", () -> store.streamConfig("s"));
            attempt("scan", () -> {
                try (EventScan scan = store.scan(ScanRequest.all("s"))) {
                    scan.forEachRemaining(e -> { });
                }
            });
            attempt("create", () -> store.createStream("s", config));
            attempt("streams", store::streams);
            attempt("write", () -> {
                StringBuilder errors = new StringBuilder();
                try (Writer w = store.writer(WriterOptions.builder().closeOnJvmShutdown(false)
                        .errorListener((m, e) -> errors.append(m).append(": ").append(e)).build())) {
                    w.append("s", "k", System.currentTimeMillis() * 1_000_000L, Map.of(), new byte[1]);
                    w.flush(java.time.Duration.ofSeconds(20));
                    if (w.stats().rejected() != 1) {
                        throw new IllegalStateException("event not rejected: " + w.stats());
                    }
                }
                throw new IllegalStateException(errors.toString());
            });
        } catch (RuntimeException e) {
            System.out.println("ERR open " + e.getMessage());
        }
    }

    private static void attempt(String what, Runnable action) {
        try {
            action.run();
            System.out.println("OK " + what);
        } catch (RuntimeException e) {
            System.out.println("ERR " + what + " " + e.getMessage() + " / " + e.getCause());
        }
    }
}

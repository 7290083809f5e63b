package io.bucketlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Made the version-1 store in {@code src/test/resources/v1-store} with the code of that format;
 * kept so the store can be understood and its making repeated on an old checkout, never run by the
 * build. See {@code src/test/resources/v1-store.md} for the commands.
 *
 * <p>Arguments: store directory, then {@code sealed} (append {@link V1StoreContent}'s sealed
 * events and close the writer: every bucket sealed) or {@code crashed} (append the crashed events,
 * flush, and halt the JVM without closing: buckets left open, index buckets without "sealed"
 * entries, exactly what a killed process leaves apart from a torn tail). Each phase adds its
 * writer id to {@code <store>/../v1-store-writers.properties}.
 */
public final class V1StoreGenerator {
    private V1StoreGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        boolean crashed = switch (args[1]) {
            case "sealed" -> false;
            case "crashed" -> true;
            default -> throw new IllegalArgumentException("phase must be sealed or crashed: " + args[1]);
        };
        Store store = Store.open(dir);
        store.createStream(V1StoreContent.LOGS, V1StoreContent.LOGS_CONFIG);
        store.createStream(V1StoreContent.TIMELINE, V1StoreContent.TIMELINE_CONFIG);
        Writer w = store.writer(WriterOptions.builder().ringFullPolicy(RingFullPolicy.BLOCK)
                .closeOnJvmShutdown(false)
                .errorListener((m, c) -> System.err.println("writer error: " + m + " " + c)).build());
        int n = V1StoreContent.count(crashed);
        for (int i = 0; i < n; i++) {
            V1StoreContent.Spec e = V1StoreContent.event(crashed, i);
            if (!w.append(e.stream(), e.key(), e.timestampNanos(), e.attributes(), e.body())) {
                throw new IllegalStateException("event " + i + " dropped");
            }
        }
        if (!w.flush(Duration.ofSeconds(30)) || w.stats().written() != n) {
            throw new IllegalStateException("not every event written: " + w.stats());
        }
        Files.writeString(dir.resolveSibling("v1-store-writers.properties"),
                (crashed ? "crashed" : "sealed") + "=" + w.writerId() + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (crashed) {
            Runtime.getRuntime().halt(0);
        }
        w.close();
        store.close();
    }
}

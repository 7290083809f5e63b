package io.bucketlog.viewer;

import io.bucketlog.LogAttributes;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A child JVM for the live-tail test: appends one event, now, to a stream and exits. */
public final class TailWriterProcess {
    private TailWriterProcess() {
    }

    /** Arguments: store directory, stream, message. */
    public static void main(String[] args) {
        try (Store store = Store.open(Path.of(args[0])); Writer w = store.writer(ViewerStore.options())) {
            w.append(args[1], "user-live", System.currentTimeMillis() * 1_000_000L,
                    Map.of(LogAttributes.LEVEL, "WARN", LogAttributes.LOGGER, "com.example.Live"),
                    args[2].getBytes(StandardCharsets.UTF_8));
            if (!w.flush(Duration.ofSeconds(30))) {
                System.exit(3);
            }
        }
    }
}

package io.bucketlog.reader;

import io.bucketlog.Store;
import io.bucketlog.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer of {@link TailAcrossProcessesTest}, run in its own JVM: appends {@code count} events,
 * each body {@code <i>:<wall-clock nanos at append>}, about one every {@code gapMicros}.
 */
public final class TailWriterProcess {
    private TailWriterProcess() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long gapNanos = Long.parseLong(args[2]) * 1000;
        try (Store store = Store.open(dir);
             Writer w = store.writer(TestStore.writerOptions(4))) {
            for (int i = 0; i < count; i++) {
                Instant now = Instant.now();
                long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                w.append("s", "k" + (i % 5), nanos, Map.of(),
                        (i + ":" + nanos).getBytes(StandardCharsets.UTF_8));
                LockSupport.parkNanos(gapNanos);
            }
            TestStore.flush(w);
        }
    }
}

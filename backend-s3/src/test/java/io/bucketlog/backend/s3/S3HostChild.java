package io.bucketlog.backend.s3;

import io.bucketlog.Store;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.WriterStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A host for {@link MultiHostTest}: opens the store at its location argument (its own spool),
 * appends events {@code NAME-0, NAME-1, ...} to stream {@code s} under key {@code NAME}, and after
 * every 20 flushes and prints {@code ACK n} (events up to {@code n} are acknowledged: in the
 * spool, counted written, none lost). When the stop file appears it closes (sealing and
 * publishing) and prints {@code DONE n lost}.
 */
public final class S3HostChild {
    private S3HostChild() {
    }

    public static void main(String[] args) throws Exception {
        String location = args[0];
        String name = args[1];
        Path stop = Path.of(args[2]);
        long n = 0;
        WriterStats stats;
        try (Store store = Store.open(location)) {
            Writer w = store.writer(WriterOptions.builder().closeOnJvmShutdown(false)
                    .errorListener((message, e) -> System.out.println("ERROR " + message + ": " + e)).build());
            System.out.println("OPEN " + w.writerId());
            System.out.flush();
            while (!Files.exists(stop)) {
                for (int i = 0; i < 20; i++, n++) {
                    byte[] body = (name + "-" + n).getBytes(StandardCharsets.UTF_8);
                    if (!w.append("s", name, System.currentTimeMillis() * 1_000_000L, Map.of(), body)) {
                        throw new IllegalStateException("append refused");
                    }
                }
                if (!w.flush(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("flush timed out");
                }
                if (w.stats().lost() != 0) {
                    System.out.println("LOST " + w.stats().lossesByReason());
                    System.out.flush();
                    break;
                }
                System.out.println("ACK " + (n - 1));
                System.out.flush();
                Thread.sleep(10);
            }
            w.close();
            stats = w.stats();
        }
        System.out.println("DONE " + (n - 1) + " " + stats.lost());
        System.out.flush();
    }
}

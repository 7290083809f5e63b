package io.bucketlog;

import static io.bucketlog.Fixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
    @TempDir
    Path dir;

    static final long HOUR = 3_600_000_000_000L;

    @Test
    void writesAndScansBackInOrder() {
        long base = (System.currentTimeMillis() - 3 * 3_600_000L) * 1_000_000L;
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(8 * 1024).blockBytes(1024).build());
            try (Writer w = store.writer(WriterOptions.builder().closeOnJvmShutdown(false).build())) {
                for (int i = 0; i < 1000; i++) {
                    long ts = base + (i % 7) * HOUR / 3 + i;
                    assertThat(w.append("s", "k" + (i % 10), ts, Map.of("n", Integer.toString(i)),
                            ("body " + i).getBytes(StandardCharsets.UTF_8))).isTrue();
                }
                assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
                List<Event> open = readAll(store, ScanRequest.all("s"));
                assertThat(open).hasSize(1000);
                assertThat(w.stats().written()).isEqualTo(1000);
            }
            List<Event> all = readAll(store, ScanRequest.all("s"));
            assertThat(all).hasSize(1000);
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).timestampNanos()).isGreaterThanOrEqualTo(all.get(i - 1).timestampNanos());
            }
            List<Event> k3 = readAll(store, new ScanRequest("s", "k3", 0, Long.MAX_VALUE, Direction.BACKWARD));
            assertThat(k3).hasSize(100).allMatch(e -> e.key().equals("k3"));
            for (int i = 1; i < k3.size(); i++) {
                assertThat(k3.get(i).timestampNanos()).isLessThanOrEqualTo(k3.get(i - 1).timestampNanos());
            }
        }
    }
}

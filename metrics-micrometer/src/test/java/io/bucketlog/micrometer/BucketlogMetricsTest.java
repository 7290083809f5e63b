package io.bucketlog.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binder follows real writers through their MBeans: ones open before it and ones opened after. */
class BucketlogMetricsTest {
    @TempDir
    Path dir;

    private static WriterOptions options(String name) {
        return WriterOptions.builder().closeOnJvmShutdown(false).name(name).build();
    }

    private static double counter(SimpleMeterRegistry r, String meter, String name, String... tags) {
        FunctionCounter c = r.find(meter).tag("name", name).tags(tags).functionCounter();
        assertThat(c).as("%s of %s", meter, name).isNotNull();
        return c.count();
    }

    @Test
    void writersOpenBeforeAndAfterBindingAreMeteredAndClosedOnesAreRemoved() throws Exception {
        try (Store store = Store.open(dir); BucketlogMetrics metrics = new BucketlogMetrics()) {
            store.createStream("s", StreamConfig.builder().bucketBytes(1 << 20).build());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Writer before = store.writer(options("metrics-before"));
            metrics.bindTo(registry);
            Writer after = store.writer(options("metrics-after"));
            long now = System.currentTimeMillis() * 1_000_000L;
            for (int i = 0; i < 7; i++) {
                before.append("s", "k", now, Map.of(), ("e" + i).getBytes(StandardCharsets.UTF_8));
            }
            after.append("nope", "k", now, Map.of(), new byte[1]);
            assertThat(before.flush(Duration.ofSeconds(20))).isTrue();
            assertThat(after.flush(Duration.ofSeconds(20))).isTrue();

            assertThat(counter(registry, "bucketlog.writer.appended", "metrics-before")).isEqualTo(7);
            assertThat(counter(registry, "bucketlog.writer.written", "metrics-before")).isEqualTo(7);
            assertThat(counter(registry, "bucketlog.writer.bytes", "metrics-before"))
                    .isEqualTo(before.stats().bytesWritten()).isPositive();
            assertThat(counter(registry, "bucketlog.writer.rejected", "metrics-after", "reason", "unknown_stream"))
                    .isEqualTo(1);
            assertThat(counter(registry, "bucketlog.writer.dropped", "metrics-after", "reason", "ring_full"))
                    .isZero();
            assertThat(registry.find("bucketlog.writer.ring.capacity").tag("name", "metrics-after").gauge().value())
                    .isEqualTo(WriterOptions.DEFAULT_RING_SIZE);
            assertThat(registry.find("bucketlog.writer.lag").tag("name", "metrics-after").timeGauge()).isNotNull();

            after.close();
            assertThat(registry.find("bucketlog.writer.appended").tag("name", "metrics-after").meters()).isEmpty();
            assertThat(registry.find("bucketlog.writer.appended").tag("name", "metrics-before").meters()).hasSize(1);
            before.close();
        }
    }
}

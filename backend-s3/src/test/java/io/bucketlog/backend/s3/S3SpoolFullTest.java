package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.LossReport;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.WriterStats;
import io.bucketlog.reader.BucketlogReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full spool through the engine: the events whose blocks it refused are counted as dropped,
 * like a full ring, in the writer's stats and its loss report, exactly; every event counted
 * written is stored once.
 */
class S3SpoolFullTest {
    @TempDir
    Path dir;
    private S3ProxyServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = S3ProxyServer.start(dir.resolve("server"));
        S3Hosts.useTestCredentials();
    }

    @AfterEach
    void stopServer() {
        server.close();
        S3Hosts.forgetTestCredentials();
    }

    @Test
    void eventsRefusedByAFullSpoolAreCountedAsDroppedLikeAFullRing() {
        // a growing bucket holds its bytes in the spool until it is sealed, so a 1 MiB spool under
        // 8 MiB buckets fills after about 1 MiB of events
        String location = S3Hosts.location(server, "full", dir.resolve("spool"), "&spool-limit-mb=1");
        List<LossReport> reports = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        Set<String> appended = new HashSet<>();
        Random random = new Random(7);
        long now = System.currentTimeMillis() * 1_000_000L;
        WriterStats stats;
        try (Store store = Store.open(location)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(8L << 20).blockBytes(16 * 1024).build());
            try (Writer w = store.writer(WriterOptions.builder().ringSize(1024)
                    .ringFullPolicy(RingFullPolicy.BLOCK).closeOnJvmShutdown(false)
                    .lossListener(reports::add).errorListener((message, e) -> errors.add(message + ": " + e)).build())) {
                byte[] noise = new byte[500];
                for (int i = 0; i < 3000; i++) {
                    random.nextBytes(noise);
                    String body = i + "-" + HexFormat.of().formatHex(noise); // incompressible
                    assertThat(w.append("s", "k", now + i, Map.of(), body.getBytes(StandardCharsets.UTF_8))).isTrue();
                    appended.add(body);
                }
                assertThat(w.flush(Duration.ofSeconds(30))).isTrue();
                stats = w.stats();
            }
        }
        assertThat(stats.appended()).isEqualTo(3000);
        assertThat(stats.droppedRingFull()).as("refused by the spool").isPositive();
        assertThat(stats.failedWrite()).as("not counted as write errors: %s", errors).isZero();
        assertThat(stats.written() + stats.droppedRingFull()).isEqualTo(3000);
        assertThat(errors).anySatisfy(m -> assertThat(m).contains("events lost"));
        LossReport last = reports.get(reports.size() - 1);
        assertThat(last.closing()).isTrue();
        assertThat(last.total().droppedRingFull()).isEqualTo(stats.droppedRingFull());
        assertThat(last.toString()).contains("ring full " + stats.droppedRingFull()).contains("spool");

        try (BucketlogReader reader = BucketlogReader.builder()
                .locations(S3Hosts.location(server, "full", dir.resolve("reader-spool"))).jmx(false).build()) {
            List<String> stored = reader.query("s").list().stream().map(Event::bodyText).toList();
            assertThat(stored).as("every written event, once").doesNotHaveDuplicates()
                    .hasSize((int) stats.written());
            assertThat(appended).containsAll(stored);
            assertThat(stored.stream().map(b -> Integer.parseInt(b.substring(0, b.indexOf('-'))))
                    .collect(Collectors.toSet())).as("the first events were written before the spool filled")
                    .contains(0, 1, 2);
        }
    }
}

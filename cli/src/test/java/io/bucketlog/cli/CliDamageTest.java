package io.bucketlog.cli;

import static io.bucketlog.cli.Run.cli;
import static io.bucketlog.cli.StoreCopies.flip;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Compression;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages for damaged data and for times Bucketlog cannot store. */
class CliDamageTest {
    @TempDir
    Path store;

    @BeforeEach
    void write() {
        try (Store s = Store.open(store);
             Writer w = s.writer(WriterOptions.builder().closeOnJvmShutdown(false).build())) {
            s.createStream("app", StreamConfig.builder().bucketBytes(1 << 20).blockBytes(1024)
                    .compression(Compression.NONE).build());
            long now = System.currentTimeMillis() * 1_000_000L;
            for (int i = 0; i < 200; i++) {
                w.append("app", "k", now - 1_000_000_000L + i, Map.of("n", Integer.toString(i)),
                        ("event " + i + " with some text to fill blocks").getBytes());
            }
            assertThat(w.flush(Duration.ofSeconds(20))).isTrue();
        }
    }

    private Path aBucket() throws IOException {
        try (Stream<Path> files = Files.walk(store.resolve("app"))) {
            return files.filter(f -> f.toString().endsWith(".bkt")).findFirst().orElseThrow();
        }
    }

    @Test
    void aTimeBeyond2262IsAOneLineUsageError() {
        Run r = cli("query", store.toString(), "--stream", "app", "--since", "2300-01-01T00:00:00Z");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("2300-01-01T00:00:00Z").contains("outside")
                .doesNotContain("overflow");
        assertThat(cli("query", store.toString(), "--stream", "app", "--since",
                "99999999999999999999d").code()).isEqualTo(2);
        assertThat(cli("query", store.toString(), "--stream", "app", "--since",
                "9999999999999d").code()).isEqualTo(2);
    }

    @Test
    void aDamagedStreamConfIsAFailureNotBadUsage() throws IOException {
        Path conf = store.resolve("app").resolve("stream.conf");
        Files.writeString(conf, Files.readString(conf).replaceAll("bucket\\.bytes=\\d+", "bucket.bytes=lots"));
        for (String command : new String[] {"query", "tail"}) {
            Run r = cli(command, store.toString(), "--stream", "app");
            assertThat(r.code()).as(command).isEqualTo(1);
            assertThat(r.err()).as(command).contains(conf.toString()).contains("damaged");
        }
        Files.delete(conf);
        Files.createSymbolicLink(conf, Path.of("/dev/zero"));
        Run r = cli("query", store.toString(), "--stream", "app");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(conf.toString()).contains("symbolic link");
    }

    @Test
    void tailReportsDamageLikeQueryAndExits1() throws IOException {
        Path bucket = aBucket();
        flip(bucket, 300); // inside the first block
        Run query = cli("query", store.toString(), "--stream", "app");
        Run tail = cli("tail", store.toString(), "--stream", "app", "-n", "1000");
        assertThat(query.code()).isEqualTo(1);
        assertThat(tail.code()).isEqualTo(1);
        assertThat(tail.err()).contains("skipped damaged data").contains(bucket.getFileName().toString());
        assertThat(tail.err().lines().count()).isEqualTo(query.err().lines().count());
        assertThat(tail.out().lines().count()).isEqualTo(query.out().lines().count()).isPositive();

        Run healthyRange = cli("tail", store.toString(), "--stream", "app", "-n", "0");
        assertThat(healthyRange.code()).isZero();
    }
}

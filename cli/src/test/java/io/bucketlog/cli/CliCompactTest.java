package io.bucketlog.cli;

import static io.bucketlog.cli.Run.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bucketlog compact} and {@code bucketlog prune}. */
class CliCompactTest {
    private static final long MINUTE = 60_000_000_000L;

    @TempDir
    Path store;

    private void write(long from, int writers) {
        try (Store s = Store.open(store)) {
            s.createStream("app", StreamConfig.builder().bucketBytes(1 << 20).blockBytes(512)
                    .bucketWidth(Duration.ofMinutes(1)).indexWindow(Duration.ofHours(1)).build());
            for (int w = 0; w < writers; w++) {
                try (Writer wr = s.writer(WriterOptions.builder().closeOnJvmShutdown(false).build())) {
                    for (int i = 0; i < 100; i++) {
                        wr.append("app", "user" + i % 4, from + i * 1_000_000L, Map.of(),
                                ("w" + w + " event " + i).getBytes());
                    }
                    assertThat(wr.flush(Duration.ofSeconds(20))).isTrue();
                }
            }
        }
    }

    private List<String> bodies() {
        List<String> out = new ArrayList<>();
        try (Store s = Store.openExisting(List.of(store));
             EventScan scan = s.scan(ScanRequest.all("app"))) {
            scan.forEachRemaining(e -> out.add(e.bodyText()));
        }
        return out.stream().sorted().toList();
    }

    private long buckets() throws IOException {
        try (Stream<Path> files = Files.walk(store.resolve("app"))) {
            return files.filter(f -> f.toString().endsWith(".bkt")).count();
        }
    }

    @Test
    void compactOnceMergesClosedWindowsShowsEachStepOnStderrAndKeepsEveryEvent() throws IOException {
        long minute = Math.floorDiv(System.currentTimeMillis() * 1_000_000L - 5 * MINUTE, MINUTE) * MINUTE;
        write(minute, 3);
        List<String> before = bodies();
        assertThat(buckets()).isEqualTo(3);

        Run r = cli("compact", store.toString(), "--once", "--grace", "0s", "--lateness", "0s");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("merged app").contains("3 bucket(s)").contains("300 events");
        assertThat(r.out()).startsWith("1 merge(s)");
        assertThat(bodies()).isEqualTo(before);

        Run again = cli("compact", store.toString(), "--stream", "app", "--grace", "0s", "--lateness", "0s");
        assertThat(again.code()).isZero();
        assertThat(again.err()).contains("inputs deleted app");
        assertThat(buckets()).isEqualTo(1);
        assertThat(bodies()).isEqualTo(before);
    }

    @Test
    void compactRollsUpWindowsOfAnEndedSpanIntoTheRollUpAreaAndStatsShowsIt() throws IOException {
        long fourHours = 240 * MINUTE;
        long span = Math.floorDiv(System.currentTimeMillis() * 1_000_000L - 3 * fourHours, fourHours)
                * fourHours;
        write(span + 10 * MINUTE, 1);
        write(span + 70 * MINUTE, 1);
        write(span + 190 * MINUTE, 1);
        List<String> before = bodies();
        assertThat(buckets()).isEqualTo(3);
        for (int pass = 0; pass < 2; pass++) {
            Run r = cli("compact", store.toString(), "--grace", "0s", "--lateness", "0s",
                    "--roll-up", "4h:1h");
            assertThat(r.code()).as(r.err()).isZero();
        }
        try (Stream<Path> files = Files.walk(store.resolve("app"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".bkt")).toList()).singleElement()
                    .satisfies(f -> assertThat(f.getParent().getFileName().toString())
                            .isEqualTo("rollup"));
        }
        assertThat(bodies()).isEqualTo(before);
        Run stats = cli("stats", store.toString());
        assertThat(stats.out()).contains("rolled up      1 of them");
        assertThat(stats.out()).contains("events         300");
    }

    @Test
    void compactRefusesABadRollUp() {
        write(System.currentTimeMillis() * 1_000_000L, 1);
        Run noAge = cli("compact", store.toString(), "--roll-up", "30d");
        assertThat(noAge.code()).isEqualTo(2);
        assertThat(noAge.err()).contains("--roll-up").contains("WIDTH:AGE");
        Run zero = cli("compact", store.toString(), "--roll-up", "0s:1d");
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).contains("--roll-up").contains("positive");
    }

    @Test
    void compactRefusesAnUnknownStreamAndABadDuration() {
        write(System.currentTimeMillis() * 1_000_000L, 1);
        assertThat(cli("compact", store.toString(), "--stream", "nope").code()).isEqualTo(2);
        Run bad = cli("compact", store.toString(), "--grace", "soon");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--grace").contains("soon");
        assertThat(cli("compact", store.toString(), "--once", "--watch").code()).isEqualTo(2);
    }

    @Test
    void pruneDeletesOldWindowsAndADryRunOnlyListsThem() throws IOException {
        long old = Math.floorDiv(System.currentTimeMillis() * 1_000_000L - 3 * 24 * 60 * MINUTE,
                60 * MINUTE) * 60 * MINUTE;
        write(old, 1);
        write(System.currentTimeMillis() * 1_000_000L - MINUTE, 1);
        long files = buckets();

        Run dry = cli("prune", store.toString(), "--stream", "app", "--older-than", "1d", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("would delete app ").contains("would delete 1 window(s)");
        assertThat(buckets()).isEqualTo(files);

        Run done = cli("prune", store.toString(), "--stream", "app", "--older-than", "1d");
        assertThat(done.code()).isZero();
        assertThat(done.out()).contains("deleted 1 window(s)");
        assertThat(bodies()).hasSize(100).allMatch(b -> b.startsWith("w0 event"));
        assertThat(buckets()).isEqualTo(files - 1);
        assertThat(cli("prune", store.toString(), "--older-than", "1d").code()).as("--stream is required").isEqualTo(2);
    }
}

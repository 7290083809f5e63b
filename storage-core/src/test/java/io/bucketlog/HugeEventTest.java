package io.bucketlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is bounded by configuration, not by input: a process with a 256 MiB heap appends events
 * far beyond the writer's limits (each child would die of an OutOfMemoryError, or keep hundreds
 * of megabytes, if anything copied them whole), and every one is stored cut, with its original
 * size, while the process keeps little heap afterwards.
 */
class HugeEventTest {
    /**
     * What the child may still hold after its huge values are garbage: its 65536-slot ring and
     * the JVM take about 35 MB; slots or block buffers that kept what large events grew them to
     * would hold 20 to 64 MB more.
     */
    private static final long RETAINED_LIMIT = 48L << 20;

    @TempDir
    Path dir;

    @Test
    void twentyTextBodiesOf96MiBAreStoredCutToTheLimitWithTheirOriginalSize() throws Exception {
        long[] stats = run("text");
        assertThat(stats).containsExactly(21, 21, 0, 20, 0, 0);
        List<Event> cut = stored("text");
        assertThat(cut).hasSize(20).allSatisfy(e -> {
            assertThat(e.body().length).isLessThanOrEqualTo(WriterOptions.DEFAULT_MAX_EVENT_BYTES)
                    .isGreaterThanOrEqualTo(16 * 1024 - 16); // a slot's own share, at least
            // the original size counts the body and the value of "n"
            assertThat(e.attributes()).containsEntry(LogAttributes.TRUNCATED,
                    Long.toString(HugeEventChild.TEXT_CHARS + e.attributes().get("n").length()));
            assertThat(e.bodyText()).matches("x+");
        });
        // While the large-event budget lasts, events keep all the limit allows.
        assertThat(cut).anyMatch(e -> e.body().length > WriterOptions.DEFAULT_MAX_EVENT_BYTES - 1024);
    }

    @Test
    void sixtyFourBinaryBodiesOf15MBAreStoredCut() throws Exception {
        long[] stats = run("binary");
        assertThat(stats).containsExactly(65, 65, 0, 64, 0, 0);
        assertThat(stored("binary")).hasSize(64).allSatisfy(e -> {
            assertThat(e.body().length).isLessThanOrEqualTo(WriterOptions.DEFAULT_MAX_EVENT_BYTES);
            assertThat(e.attributes()).containsKey(LogAttributes.TRUNCATED);
        });
    }

    @Test
    void eventsOfAHundredThousandAttributesKeepTheFirstOnesAndAreMarked() throws Exception {
        long[] stats = run("attributes");
        assertThat(stats).containsExactly(21, 21, 0, 20, 0, 0);
        assertThat(stored("attributes")).hasSize(20).allSatisfy(e -> {
            // "n", then a0 ... up to the limit, then the mark
            assertThat(e.attributes()).hasSize(WriterOptions.DEFAULT_MAX_ATTRIBUTES + 1)
                    .containsKey("a0").doesNotContainKey("a" + (HugeEventChild.ATTRIBUTES - 1))
                    .containsKey(LogAttributes.TRUNCATED);
        });
    }

    @Test
    void aKeyOf32MiBIsCutWithAMarker() throws Exception {
        long[] stats = run("key");
        assertThat(stats).containsExactly(2, 2, 0, 0, 1, 0);
        List<Event> events;
        try (Store store = Store.open(dir)) {
            events = Fixtures.readAll(store, ScanRequest.all(HugeEventChild.STREAM)).stream()
                    .filter(e -> !e.key().equals("small")).toList();
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.key().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(Names.MAX_KEY_BYTES);
            assertThat(e.key()).startsWith("kkkk").endsWith("\u2026");
        });
    }

    private List<Event> stored(String key) {
        try (Store store = Store.open(dir)) {
            return Fixtures.readAll(store, new ScanRequest(HugeEventChild.STREAM, key, 0, Long.MAX_VALUE,
                    Direction.FORWARD));
        }
    }

    /** Runs the child; returns its counters, after checking its exit and heap. */
    private long[] run(String mode) throws IOException, InterruptedException {
        Path out = dir.resolveSibling(dir.getFileName() + "-" + mode + ".out");
        JavaChild.Finished child = JavaChild.run(
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                System.getProperty("java.class.path"), HugeEventChild.class,
                List.of(dir.toString(), mode), out, Duration.ofSeconds(120));
        String output = child.output();
        Files.deleteIfExists(out);
        assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain("writer error");
        assertThat(child.exitCode()).as(output).isZero();
        long heap = Long.parseLong(line(output, "HEAP ")[0]);
        assertThat(heap).as("heap in use afterwards").isLessThan(RETAINED_LIMIT);
        String[] s = line(output, "STATS ");
        long[] stats = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            stats[i] = Long.parseLong(s[i]);
        }
        return stats;
    }

    private static String[] line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + "in " + output))
                .substring(prefix.length()).split(" ");
    }
}

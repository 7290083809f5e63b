package io.bucketlog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the appenders' shared options report a bad value. */
class AppenderSettingsTest {

    /**
     * Each row is checked at a different point of {@code resolve}, some inside code that wraps
     * other errors: every one still comes out as the option's own error, unwrapped.
     */
    @ParameterizedTest
    @CsvSource({
        "fsyncInterval, 0s, must be positive",
        "shutdownTimeout, -5s, must be positive",
        "shutdownTimeout, soon, expected a duration",
        "compression, zip, expected one of none, lz4, zstd",
        "durability, always, expected one of",
        "dropBelowLevel, LOUD, expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL",
        "ringFullPolicy, wait, expected drop, block or drop-below",
        "ringBufferSize, 1000, must be a power of two",
        "bucketSize, lots, expected a size",
        "bucketWidth, 7m, must divide indexWindow",
        "stream, ../etc, ''",
        "retention, forever, expected a duration",
        "retention, 0d, must be positive",
        "compaction, always, expected auto or off",
    })
    void aBadValueIsReportedAsThatOptionsErrorWhereverItIsChecked(String option, String value, String why) {
        AppenderSettings settings = settings(Map.of(option, value));
        assertThatThrownBy(() -> settings.resolve((message, cause) -> { }))
                .isExactlyInstanceOf(InvalidOptionException.class)
                .hasNoCause()
                .hasMessageStartingWith("invalid value '" + value + "' for option '" + option + "': ")
                .hasMessageContaining(why)
                .satisfies(e -> {
                    InvalidOptionException bad = (InvalidOptionException) e;
                    assertThat(bad.option()).isEqualTo(option);
                    assertThat(bad.value()).isEqualTo(value);
                });
    }

    @Test
    void aMissingDirectoryIsNotBlamedOnAValue() {
        assertThatThrownBy(() -> settings(Map.of("directory", " ")).resolve((message, cause) -> { }))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("option 'directory' is required: where the store is");
    }

    @Test
    void anObjectStoreLocationIsKeptAsWrittenAndADirectoryMadeAbsolute() {
        String s3 = "s3://logs/prod?endpoint=http://127.0.0.1:9000&path-style=true";
        AppenderSettings.Resolved r = settings(Map.of("directory", "relative/dir, " + s3))
                .resolve((message, cause) -> { });
        assertThat(r.locations()).containsExactly(
                java.nio.file.Path.of("relative/dir").toAbsolutePath().normalize().toString(), s3);
    }

    @Test
    void goodValuesResolve() {
        AppenderSettings.Resolved r = settings(Map.of("fsyncInterval", "250ms", "compression", "NONE",
                "dropBelowLevel", "warning")).resolve((message, cause) -> { });
        assertThat(r.writerOptions().build().fsyncInterval().toMillis()).isEqualTo(250);
        assertThat(r.writerOptions().build().dropBelowPriority()).isEqualTo(400);
        assertThat(r.streamConfig().compression()).isEqualTo(io.bucketlog.Compression.NONE);
    }

    @Test
    void logsAreZstdCompressedUnlessAnotherCodecIsAskedFor() {
        assertThat(io.bucketlog.internal.format.ZstdCodec.unavailableReason())
                .as("zstd-jni's native library loads on the platforms CI runs on").isNull();
        assertThat(settings(Map.of()).resolve((message, cause) -> { }).streamConfig().compression())
                .isEqualTo(io.bucketlog.Compression.ZSTD);
        assertThat(settings(Map.of("compression", "lz4")).resolve((message, cause) -> { })
                .streamConfig().compression()).isEqualTo(io.bucketlog.Compression.LZ4);
        assertThat(settings(Map.of("compression", " Zstd ")).resolve((message, cause) -> { })
                .streamConfig().compression()).isEqualTo(io.bucketlog.Compression.ZSTD);
    }

    @Test
    void retentionAndCompactionResolve() {
        AppenderSettings.Resolved r = settings(Map.of("retention", "30d", "compaction", "AUTO"))
                .resolve((message, cause) -> { });
        assertThat(r.retention()).contains(java.time.Duration.ofDays(30));
        assertThat(r.streamConfig().retention()).contains(java.time.Duration.ofDays(30));
        assertThat(r.compaction()).isTrue();
        AppenderSettings.Resolved dflt = settings(Map.of()).resolve((message, cause) -> { });
        assertThat(dflt.retention()).isEmpty();
        assertThat(dflt.compaction()).isFalse();
    }

    @Test
    void aGivenRetentionChangesAStoredStreamAndNoneKeepsItsRetention(@TempDir Path dir) {
        try (Store store = Store.open(dir)) {
            store.createStream("logs", StreamConfig.builder().bucketBytes(64L << 20)
                    .retention(java.time.Duration.ofDays(7)).build());
            settings(Map.of("directory", dir.toString())).resolve((m, c) -> { }).openStream(store);
            assertThat(store.streamConfig("logs").orElseThrow().retention())
                    .contains(java.time.Duration.ofDays(7));
            settings(Map.of("directory", dir.toString(), "retention", "30d")).resolve((m, c) -> { })
                    .openStream(store);
            assertThat(store.streamConfig("logs").orElseThrow().retention())
                    .contains(java.time.Duration.ofDays(30));
        }
    }

    @Test
    void compactionAutoStartsALowPriorityBrigadeAndOffStartsNone(@TempDir Path dir) {
        try (Store store = Store.open(dir)) {
            AppenderSettings.Resolved off = settings(Map.of("directory", dir.toString()))
                    .resolve((m, c) -> { });
            off.openStream(store);
            assertThat(off.startCompaction(store, (m, c) -> { })).isEmpty();
            AppenderSettings.Resolved auto = settings(Map.of("directory", dir.toString(),
                    "compaction", "auto")).resolve((m, c) -> { });
            try (var brigade = auto.startCompaction(store, (m, c) -> { }).orElseThrow()) {
                assertThatThrownBy(brigade::start).as("running").isInstanceOf(IllegalStateException.class);
                assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(t -> {
                    assertThat(t.getName()).isEqualTo("bucketlog-brigade");
                    assertThat(t.getPriority()).isEqualTo(Thread.MIN_PRIORITY);
                    assertThat(t.isDaemon()).isTrue();
                });
            }
            assertThat(Thread.getAllStackTraces().keySet()).noneSatisfy(t ->
                    assertThat(t.getName()).isEqualTo("bucketlog-brigade"));
        }
    }

    private static AppenderSettings settings(Map<String, String> given) {
        Map<String, String> o = new HashMap<>();
        o.put("directory", "store-never-opened");
        o.putAll(given);
        return new AppenderSettings(o.get("directory"), o.get("stream"), o.get("keyPattern"),
                o.get("bucketSize"), o.get("bucketWidth"), o.get("indexWindow"), o.get("compression"),
                o.get("durability"), o.get("fsyncInterval"), o.get("ringBufferSize"),
                o.get("ringFullPolicy"), o.get("dropBelowLevel"), o.get("shutdownTimeout"),
                o.get("retention"), o.get("compaction"));
    }
}

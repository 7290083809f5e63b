package io.bucketlog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
        "compression, zstd, expected one of none, lz4",
        "durability, always, expected one of",
        "dropBelowLevel, LOUD, expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL",
        "ringFullPolicy, wait, expected drop, block or drop-below",
        "ringBufferSize, 1000, must be a power of two",
        "bucketSize, lots, expected a size",
        "bucketWidth, 7m, must divide indexWindow",
        "stream, ../etc, ''",
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

    private static AppenderSettings settings(Map<String, String> given) {
        Map<String, String> o = new HashMap<>();
        o.put("directory", "store-never-opened");
        o.putAll(given);
        return new AppenderSettings(o.get("directory"), o.get("stream"), o.get("keyPattern"),
                o.get("bucketSize"), o.get("bucketWidth"), o.get("indexWindow"), o.get("compression"),
                o.get("durability"), o.get("fsyncInterval"), o.get("ringBufferSize"),
                o.get("ringFullPolicy"), o.get("dropBelowLevel"), o.get("shutdownTimeout"));
    }
}

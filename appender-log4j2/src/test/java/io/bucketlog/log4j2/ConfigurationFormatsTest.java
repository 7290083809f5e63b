package io.bucketlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The plugin in Log4j2's configuration formats, and bad option values at start-up. */
class ConfigurationFormatsTest {
    @TempDir
    Path dir;
    @TempDir
    Path configs;

    @BeforeEach
    void setDir() {
        System.setProperty("bucketlog.dir", dir.toString());
        CaptureAppender.EVENTS.clear();
    }

    @AfterEach
    void clear() {
        ThreadContext.clearAll();
    }

    @Test
    void propertiesFormatConfiguresTheSamePlugin() {
        LoggerContext ctx = Stored.start("props", "bucketlog.properties");
        try {
            BucketlogAppender appender = ctx.getConfiguration().getAppender("store");
            assertThat(appender).isNotNull();
            assertThat(Thread.getAllStackTraces().keySet()).as("compaction=auto runs the brigade")
                    .anySatisfy(t -> assertThat(t.getName()).isEqualTo("bucketlog-brigade"));
            ThreadContext.put("tenant", "acme");
            ctx.getLogger("p").warn("from properties");
        } finally {
            ctx.stop();
        }
        assertThat(Thread.getAllStackTraces().keySet()).as("stopped with the appender")
                .noneSatisfy(t -> assertThat(t.getName()).isEqualTo("bucketlog-brigade"));
        try (io.bucketlog.Store store = io.bucketlog.Store.openExisting(List.of(dir))) {
            assertThat(store.streamConfig("props").orElseThrow().retention())
                    .contains(java.time.Duration.ofDays(30));
        }
        List<Event> stored = Stored.events(dir, "props");
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).key()).isEqualTo("WARN/acme");
        assertThat(stored.get(0).bodyText()).isEqualTo("from properties");
    }

    @ParameterizedTest
    @CsvSource({"bucketlog.json, json", "bucketlog.yaml, yaml"})
    void jsonAndYamlFormatsConfigureTheSamePlugin(String config, String stream) {
        LoggerContext ctx = Stored.start(stream, config);
        try {
            assertThat(ctx.getConfiguration().<BucketlogAppender>getAppender("store")).isNotNull();
            ThreadContext.put("tenant", "acme");
            ctx.getLogger("j").error("from " + stream);
        } finally {
            ctx.stop();
        }
        List<Event> stored = Stored.events(dir, stream);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).key()).isEqualTo("ERROR/acme");
        assertThat(stored.get(0).bodyText()).isEqualTo("from " + stream);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ringBufferSize  | 1000     | ringBufferSize",
        "ringBufferSize  | lots     | ringBufferSize",
        "bucketSize      | 12 parsecs | bucketSize",
        "bucketWidth     | 1x       | bucketWidth",
        "indexWindow     | -1d      | indexWindow",
        "compression     | zip      | compression",
        "durability      | forever  | durability",
        "fsyncInterval   | soon     | fsyncInterval",
        "ringFullPolicy  | panic    | ringFullPolicy",
        "shutdownTimeout | 0s       | shutdownTimeout",
        "stream          | ../etc   | stream",
        "keyPattern      | %user    | keyPattern",
        "directory       | ''       | directory",
    })
    void badValueIsAStatusErrorNamingTheOptionAndTheApplicationRunsOn(String option, String value,
                                                                     String named) throws Exception {
        String directory = option.equals("directory") ? value : dir.toString();
        String extra = option.equals("directory") ? "" : " " + option + "=\"" + value + "\"";
        String xml = """
                <Configuration status="off">
                  <Appenders>
                    <Bucketlog name="store" directory="%s"%s/>
                    <Capture name="capture"/>
                  </Appenders>
                  <Loggers>
                    <Root level="info"><AppenderRef ref="store"/><AppenderRef ref="capture"/></Root>
                  </Loggers>
                </Configuration>
                """.formatted(directory, extra);
        Path file = configs.resolve("bad-" + option + ".xml");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        try (StatusCapture status = new StatusCapture()) {
            LoggerContext ctx = new LoggerContext("bad", null, file.toUri());
            ctx.start();
            try {
                assertThat(ctx.getConfiguration().<BucketlogAppender>getAppender("store")).isNull();
                ctx.getLogger("app").info("still running");
                assertThat(CaptureAppender.EVENTS).hasSize(1);
            } finally {
                ctx.stop();
            }
            List<String> errors = status.texts(Level.ERROR, m -> m.startsWith("Bucketlog appender 'store'"));
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).contains("'" + named + "'");
        }
    }
}

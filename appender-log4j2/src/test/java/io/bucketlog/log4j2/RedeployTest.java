package io.bucketlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An application redeployed with changed stream options keeps logging. */
class RedeployTest {
    @TempDir
    Path dir;
    @TempDir
    Path configs;

    private List<String> deploy(String name, String options, String message) throws Exception {
        String xml = """
                <Configuration status="off">
                  <Appenders><Bucketlog name="store" directory="%s" stream="app" %s/></Appenders>
                  <Loggers><Root level="info"><AppenderRef ref="store"/></Root></Loggers>
                </Configuration>
                """.formatted(dir, options);
        Path file = configs.resolve(name + ".xml");
        Files.writeString(file, xml);
        try (StatusCapture status = new StatusCapture()) {
            LoggerContext ctx = new LoggerContext(name, null, file.toUri());
            ctx.start();
            try {
                assertThat(ctx.getConfiguration().<BucketlogAppender>getAppender("store"))
                        .as("appender of %s", name).isNotNull();
                ctx.getLogger("x").info(message);
            } finally {
                ctx.stop();
            }
            assertThat(status.texts(Level.ERROR, m -> true)).as("errors of %s", name).isEmpty();
            return status.texts(Level.WARN, m -> m.startsWith("Bucketlog appender 'store'"));
        }
    }

    @Test
    void changedBucketSizeWidthAndCompressionTakeEffectForNewBucketsWithoutAWarning() throws Exception {
        assertThat(deploy("v1", "bucketSize=\"8MB\" bucketWidth=\"1h\"", "first")).isEmpty();
        assertThat(deploy("v2", "bucketSize=\"16MB\" bucketWidth=\"10m\" compression=\"none\"", "second"))
                .isEmpty();
        try (Store store = Store.open(dir)) {
            StreamConfig now = store.streamConfig("app").orElseThrow();
            assertThat(now.bucketBytes()).isEqualTo(16 << 20);
            assertThat(now.bucketWidth()).isEqualTo(Duration.ofMinutes(10));
            assertThat(now.compression()).isEqualTo(Compression.NONE);
        }
        assertThat(Stored.events(dir, "app")).extracting(Event::bodyText).containsExactly("first", "second");
    }

    @Test
    void aChangedIndexWindowKeepsTheStoredOneWithOneWarningInTheUsersWords() throws Exception {
        assertThat(deploy("v1", "", "first")).isEmpty();
        List<String> warnings = deploy("v2", "indexWindow=\"2d\"", "second");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("indexWindow=2d").contains("keeps indexWindow=1d")
                .contains("stream 'app'").doesNotContain("PT");
        assertThat(Stored.events(dir, "app")).extracting(Event::bodyText).containsExactly("first", "second");
    }

    @Test
    void aBucketWidthThatDoesNotDivideTheDefaultIndexWindowNamesBucketWidth() throws Exception {
        Path file = configs.resolve("seven.xml");
        Files.writeString(file, """
                <Configuration status="off">
                  <Appenders><Bucketlog name="store" directory="%s" bucketWidth="7m"/></Appenders>
                  <Loggers><Root level="info"><AppenderRef ref="store"/></Root></Loggers>
                </Configuration>
                """.formatted(dir));
        try (StatusCapture status = new StatusCapture()) {
            LoggerContext ctx = new LoggerContext("seven", null, file.toUri());
            ctx.start();
            ctx.stop();
            List<String> errors = status.texts(Level.ERROR, m -> m.startsWith("Bucketlog appender 'store'"));
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).contains("'7m' for option 'bucketWidth'").doesNotContain("'indexWindow'");
        }
    }
}

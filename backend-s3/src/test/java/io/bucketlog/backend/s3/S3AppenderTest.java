package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.bucketlog.Event;
import io.bucketlog.logback.BucketlogAppender;
import io.bucketlog.reader.BucketlogReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The Logback appender with an {@code s3://} location as its {@code directory}. */
class S3AppenderTest {
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
    void anAppenderWhoseDirectoryIsAnS3LocationStoresEveryEventThere() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory(); // the one with an MDC
        BucketlogAppender appender = new BucketlogAppender();
        appender.setContext(ctx);
        appender.setName("bucketlog");
        appender.setDirectory(S3Hosts.location(server, "appender", dir.resolve("spool")));
        appender.setStream("app");
        appender.start();
        assertThat(appender.isStarted()).as("started on S3").isTrue();
        Logger log = ctx.getLogger("com.example.Orders");
        log.setLevel(Level.INFO);
        log.setAdditive(false);
        log.addAppender(appender);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            log.info("order {} paid", i);
            written.add("order " + i + " paid");
        }
        log.detachAppender(appender);
        appender.stop(); // drains and seals
        assertThat(appender.stats().written()).as("%s", appender.stats()).isEqualTo(500);

        try (BucketlogReader reader = BucketlogReader.builder()
                .locations(S3Hosts.location(server, "appender", dir.resolve("reader-spool"))).jmx(false).build()) {
            assertThat(reader.query("app").list().stream().map(Event::bodyText).toList())
                    .containsExactlyElementsOf(written);
        }
    }
}

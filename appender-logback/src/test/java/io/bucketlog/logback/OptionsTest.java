package io.bucketlog.logback;

import static io.bucketlog.logback.LogbackConfigs.configure;
import static io.bucketlog.logback.LogbackConfigs.readAll;
import static io.bucketlog.logback.LogbackConfigs.rootAppender;
import static io.bucketlog.logback.LogbackConfigs.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.LogAttributes;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.config.AppenderSettings;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class OptionsTest {
    @TempDir
    Path dir;

    @AfterEach
    void stopAppenders() {
        LogbackConfigs.context().reset();
    }

    @Test
    void joranSettersAreExactlyTheSharedOptionNames() {
        for (RecordComponent c : AppenderSettings.class.getRecordComponents()) {
            String setter = "set" + Character.toUpperCase(c.getName().charAt(0)) + c.getName().substring(1);
            assertThat(BucketlogAppender.class.getMethods())
                    .as("Joran setter for option %s", c.getName())
                    .anySatisfy(m -> {
                        assertThat(m.getName()).isEqualTo(setter);
                        assertThat(m.getParameterTypes()).containsExactly(String.class);
                    });
        }
    }

    @Test
    void everyOptionIsAppliedFromTheConfigurationFile() throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("directory", dir.toString());
        p.put("stream", "orders-log");
        p.put("keyPattern", "%level/%X{tenant}");
        p.put("bucketSize", "8MB");
        p.put("bucketWidth", "10m");
        p.put("indexWindow", "2h");
        p.put("compression", "none");
        p.put("durability", "interval");
        p.put("fsyncInterval", "250ms");
        p.put("ringBufferSize", "1024");
        p.put("ringFullPolicy", "drop-below");
        p.put("dropBelowLevel", "ERROR");
        p.put("shutdownTimeout", "5s");
        p.put("retention", "30d");
        p.put("compaction", "auto");
        LoggerContext ctx = configure("options.xml", p);
        BucketlogAppender appender = rootAppender(ctx);
        assertThat(appender.isStarted()).isTrue();
        assertThat(statuses(ctx, Status.ERROR)).isEmpty();
        assertThat(appender.settings()).isEqualTo(new AppenderSettings(dir.toString(), "orders-log",
                "%level/%X{tenant}", "8MB", "10m", "2h", "none", "interval", "250ms", "1024",
                "drop-below", "ERROR", "5s", "30d", "auto"));
        assertThat(Thread.getAllStackTraces().keySet()).as("compaction=auto runs the brigade")
                .anySatisfy(t -> assertThat(t.getName()).isEqualTo("bucketlog-brigade"));

        MDC.put("tenant", "acme");
        try {
            LoggerFactory.getLogger("billing").warn("invoice sent");
        } finally {
            MDC.remove("tenant");
        }
        ctx.reset();

        try (Store store = Store.openExisting(List.of(dir))) {
            StreamConfig stored = store.streamConfig("orders-log").orElseThrow();
            assertThat(stored.bucketBytes()).isEqualTo(8L * 1024 * 1024);
            assertThat(stored.bucketWidth()).isEqualTo(Duration.ofMinutes(10));
            assertThat(stored.indexWindow()).isEqualTo(Duration.ofHours(2));
            assertThat(stored.compression()).isEqualTo(Compression.NONE);
            assertThat(stored.retention()).contains(Duration.ofDays(30));
        }
        assertThat(Thread.getAllStackTraces().keySet()).as("stopped with the appender")
                .noneSatisfy(t -> assertThat(t.getName()).isEqualTo("bucketlog-brigade"));
        List<Event> events = readAll(dir, "orders-log");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("WARN/acme");
            assertThat(e.bodyText()).isEqualTo("invoice sent");
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "directory|''",
        "stream|../etc",
        "keyPattern|%date",
        "bucketSize|big",
        "bucketSize|1KB",
        "bucketWidth|1 fortnight",
        "indexWindow|90m",
        "compression|zip",
        "durability|always",
        "fsyncInterval|0s",
        "ringBufferSize|1000",
        "ringBufferSize|-8",
        "ringFullPolicy|wait",
        "dropBelowLevel|LOUD",
        "shutdownTimeout|soon",
    })
    void badValueIsAStatusErrorNamingTheOptionAndTheApplicationLogsOn(String option, String value) {
        Map<String, String> p = new HashMap<>();
        p.put("directory", dir.resolve("store").toString());
        if (option.equals("dropBelowLevel")) {
            p.put("ringFullPolicy", "drop-below");
        }
        p.put(option, value);
        LoggerContext ctx = configure("options.xml", p);

        BucketlogAppender appender = rootAppender(ctx);
        assertThat(appender.isStarted()).isFalse();
        assertThat(statuses(ctx, Status.ERROR)).singleElement().satisfies(s -> {
            assertThat(s.getMessage()).contains("Bucketlog appender [BUCKETLOG] not started");
            assertThat(s.getMessage()).contains("'" + option + "'");
        });

        // The application is unaffected: the call returns and the other appender gets the event.
        LoggerFactory.getLogger("app").info("still running");
        ListAppender<ILoggingEvent> list = listAppender(ctx);
        assertThat(list.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("still running");
        assertThat(Files.exists(dir.resolve("store").resolve("logs"))).isFalse();
    }

    @Test
    void exampleConfigurationQuotedByTheReadmeWorks() {
        LoggerContext ctx = configure("example/logback.xml", Map.of("BUCKETLOG_DIR", dir.toString()));
        BucketlogAppender appender = LogbackConfigs.appender(ctx, Logger.ROOT_LOGGER_NAME, "BUCKETLOG");
        assertThat(appender.isStarted()).isTrue();
        assertThat(statuses(ctx, Status.ERROR)).isEmpty();

        org.slf4j.Logger log = LoggerFactory.getLogger("com.example.Checkout");
        MDC.put("userId", "u-42");
        try {
            log.info("cart checked out");
        } finally {
            MDC.remove("userId");
        }
        log.debug("below the root level: not stored");
        log.warn("no user");
        ctx.reset();

        List<Event> events = readAll(dir, "app");
        assertThat(events).extracting(Event::key).containsExactly("u-42", "");
        assertThat(events.get(0).attribute(LogAttributes.LOGGER)).isEqualTo("com.example.Checkout");
        assertThat(events.get(0).attribute(LogAttributes.CONTEXT_PREFIX + "userId")).isEqualTo("u-42");
    }

    @SuppressWarnings("unchecked")
    private static ListAppender<ILoggingEvent> listAppender(LoggerContext ctx) {
        return (ListAppender<ILoggingEvent>) ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("LIST");
    }
}

package io.bucketlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.LogAttributes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.ReusableMessageFactory;
import org.apache.logging.log4j.message.StringMapMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every part of a Log4j2 event is stored and read back unchanged (synchronous loggers). */
class EventMappingTest {
    @TempDir
    Path dir;
    LoggerContext ctx;

    @BeforeEach
    void start() {
        System.setProperty("bucketlog.dir", dir.toString());
        CaptureAppender.EVENTS.clear();
        ctx = Stored.start("mapping", "mapping.xml");
        assertThat(ctx.getConfiguration().<BucketlogAppender>getAppender("store")).isNotNull();
    }

    @AfterEach
    void stop() {
        ctx.stop();
        ThreadContext.clearAll();
    }

    @Test
    void hugeMessagesAndBadContextKeysAreStoredMadeSafe() {
        Logger log = ctx.getLogger("com.example.Big");
        BucketlogAppender appender = ctx.getConfiguration().getAppender("store");
        String huge = "p".repeat(3 << 20);
        ThreadContext.put("bad\tname", "v");
        log.info("parameter {} end", huge);        // a parameterised message
        log.info(huge);                             // a plain one
        ThreadContext.clearAll();
        ctx.stop();

        List<Event> stored = Stored.events(dir, "mapping");
        assertThat(stored).hasSize(2).allSatisfy(e -> {
            assertThat(e.body().length).isLessThanOrEqualTo(1 << 20).isGreaterThan(1 << 19);
            assertThat(e.attributes()).containsKey(LogAttributes.TRUNCATED)
                    .containsEntry(LogAttributes.CONTEXT_PREFIX + "bad\\u0009name", "v");
        });
        assertThat(stored.get(0).bodyText()).startsWith("parameter ppp");
        assertThat(stored.get(1).bodyText()).startsWith("ppp");
        assertThat(appender.stats().truncated()).isEqualTo(2);
        assertThat(appender.stats().sanitised()).isEqualTo(2);
        assertThat(appender.stats().lost()).isZero();
    }

    @Test
    void storesTimestampLevelLoggerThreadBodyMarkerContextAndThrowable() throws Exception {
        Marker parentA = MarkerManager.getMarker("MAPPING_SECURITY");
        Marker grand = MarkerManager.getMarker("MAPPING_ROOT");
        parentA.setParents(grand);
        Marker parentB = MarkerManager.getMarker("MAPPING_BILLING");
        Marker marker = MarkerManager.getMarker("MAPPING_AUDIT").setParents(parentA, parentB);
        IllegalStateException cause = new IllegalStateException("disk on fire");
        RuntimeException thrown = new RuntimeException("could not save order 7", cause);
        thrown.addSuppressed(new IllegalArgumentException("while closing"));

        Thread t = new Thread(() -> {
            Logger log = ctx.getLogger("com.example.Orders");
            ThreadContext.put("userId", "u-42");
            ThreadContext.put("tenant", "ünïcödé");
            log.info("order {} saved for {} — total {}€", 7, "Zoë", 12.5);
            log.error(marker, "failed", thrown);
            ThreadContext.clearAll();
            ctx.getLogger("").trace("root logger, no context");
        }, "worker-7");
        t.start();
        t.join();
        ctx.stop();

        List<Event> stored = Stored.events(dir, "mapping");
        List<LogEvent> seen = CaptureAppender.EVENTS;
        assertThat(stored).hasSize(3);
        assertThat(seen).hasSize(3);
        for (int i = 0; i < 3; i++) {
            LogEvent e = seen.get(i);
            Event s = stored.get(i);
            assertThat(s.timestampNanos()).isEqualTo(
                    e.getInstant().getEpochSecond() * 1_000_000_000L + e.getInstant().getNanoOfSecond());
            assertThat(s.attribute(LogAttributes.LEVEL)).isEqualTo(e.getLevel().name());
            assertThat(s.attribute(LogAttributes.LOGGER)).isEqualTo(e.getLoggerName());
            assertThat(s.attribute(LogAttributes.THREAD)).isEqualTo("worker-7");
            assertThat(s.key()).isEqualTo(e.getLoggerName());
            assertThat(s.bodyText()).isEqualTo(e.getMessage().getFormattedMessage());
        }

        Event info = stored.get(0);
        assertThat(info.bodyText()).isEqualTo("order 7 saved for Zoë — total 12.5€");
        assertThat(info.key()).isEqualTo("com.example.Orders");
        assertThat(info.attributes()).containsEntry("ctx.userId", "u-42")
                .containsEntry("ctx.tenant", "ünïcödé")
                .doesNotContainKeys(LogAttributes.MARKER, LogAttributes.THROWN,
                        LogAttributes.THROWN_CLASS, LogAttributes.THROWN_MESSAGE);

        Event error = stored.get(1);
        assertThat(error.attribute(LogAttributes.LEVEL)).isEqualTo("ERROR");
        assertThat(error.attribute(LogAttributes.MARKER))
                .isEqualTo("MAPPING_AUDIT[MAPPING_SECURITY[MAPPING_ROOT],MAPPING_BILLING]");
        assertThat(error.attribute(LogAttributes.THROWN_CLASS)).isEqualTo("java.lang.RuntimeException");
        assertThat(error.attribute(LogAttributes.THROWN_MESSAGE)).isEqualTo("could not save order 7");
        StringWriter printed = new StringWriter();
        thrown.printStackTrace(new PrintWriter(printed, true));
        assertThat(error.attribute(LogAttributes.THROWN)).isEqualTo(printed.toString())
                .contains("Caused by: java.lang.IllegalStateException: disk on fire")
                .contains("Suppressed: java.lang.IllegalArgumentException: while closing");

        Event root = stored.get(2);
        assertThat(root.attribute(LogAttributes.LOGGER)).isEmpty();
        assertThat(root.key()).isEmpty();
        assertThat(root.attributes().keySet()).noneMatch(k -> k.startsWith(LogAttributes.CONTEXT_PREFIX));
    }

    @Test
    void mapMessageFieldsAreStoredAsKeyValueFieldsAndCopiedWhenLogged() {
        Logger log = ctx.getLogger("fields");
        StringMapMessage strings = new StringMapMessage().with("orderId", "1234").with("amount", "9.50");
        StringBuilder mutable = new StringBuilder("before");
        MapMessage<?, Object> objects = new MapMessage<>();
        objects.with("count", 7).with("note", mutable);
        log.info(strings);
        log.warn(objects);
        mutable.setLength(0);
        mutable.append("after");
        strings.with("orderId", "changed");
        ctx.stop();

        List<Event> stored = Stored.events(dir, "mapping");
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).attributes())
                .containsEntry(LogAttributes.KEY_VALUE_PREFIX + "orderId", "1234")
                .containsEntry(LogAttributes.KEY_VALUE_PREFIX + "amount", "9.50");
        assertThat(stored.get(1).attributes())
                .containsEntry(LogAttributes.KEY_VALUE_PREFIX + "count", "7")
                .containsEntry(LogAttributes.KEY_VALUE_PREFIX + "note", "before");
    }

    @Test
    void mutableParameterIsSnapshottedWhenLogged() {
        Logger log = ctx.getLogger("snap");
        StringBuilder mutable = new StringBuilder("before");
        Object changing = new Object() {
            int calls;

            @Override
            public String toString() {
                return "rendered-" + calls++;
            }
        };
        log.info("value {} and {}", mutable, changing);
        mutable.setLength(0);
        mutable.append("after");
        changing.toString();
        ctx.stop();

        List<Event> stored = Stored.events(dir, "mapping");
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).bodyText()).isEqualTo("value before and rendered-0");
    }

    @Test
    void reusableMessagesOfGarbageFreeModeAreCopiedNotReferenced() {
        Logger log = ctx.getLogger("reuse");
        Object factory = log.getMessageFactory();
        assertThat(factory).isInstanceOf(ReusableMessageFactory.class);
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            log.info("event {} of user {}", i, "user-" + (i % 7));
        }
        ctx.stop();

        List<Event> stored = Stored.events(dir, "mapping");
        assertThat(stored).hasSize(n);
        Map<String, Long> bodies = stored.stream()
                .collect(Collectors.groupingBy(Event::bodyText, Collectors.counting()));
        for (int i = 0; i < n; i++) {
            assertThat(bodies).containsEntry("event " + i + " of user user-" + (i % 7), 1L);
        }
    }
}

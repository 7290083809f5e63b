package io.bucketlog.logback;

import static io.bucketlog.logback.LogbackConfigs.configure;
import static io.bucketlog.logback.LogbackConfigs.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bucketlog.Direction;
import io.bucketlog.Event;
import io.bucketlog.EventScan;
import io.bucketlog.LogAttributes;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

class EventMappingTest {
    @TempDir
    Path dir;

    @AfterEach
    void stopAppenders() {
        LogbackConfigs.context().reset();
    }

    private LoggerContext start(String keyPattern) {
        return configure("options.xml", Map.of("directory", dir.toString(), "keyPattern", keyPattern));
    }

    @Test
    void badKeysAndHugeMessagesAreStoredMadeSafeWhereAFileAppenderWouldHaveWrittenThem() {
        LoggerContext ctx = start("%X{tenant}");
        org.slf4j.Logger log = LoggerFactory.getLogger("app");
        MDC.put("tenant", "acme\u0007corp");
        MDC.put("bad\nname", "v");
        log.info("control characters");
        MDC.put("tenant", "t".repeat(5000));
        log.info("long key");
        MDC.clear();
        String huge = "m".repeat(3 << 20);
        log.info(huge);
        ctx.reset();

        List<Event> stored = readAll(dir, "logs");
        assertThat(stored).hasSize(3);
        assertThat(stored.get(0).key()).isEqualTo("acme\\u0007corp");
        assertThat(stored.get(0).attributes()).containsEntry(LogAttributes.CONTEXT_PREFIX + "bad\\u000aname", "v");
        assertThat(stored.get(1).key().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(1024);
        assertThat(stored.get(1).key()).startsWith("ttt").endsWith("\u2026");
        assertThat(stored.get(2).body().length).isLessThanOrEqualTo(1 << 20);
        assertThat(stored.get(2).bodyText()).startsWith("mmm");
        assertThat(stored.get(2).attributes()).containsEntry(LogAttributes.LEVEL, "INFO")
                .containsEntry(LogAttributes.TRUNCATED, Long.toString(huge.length() + "INFO".length()
                        + "app".length() + "main".length()));
    }

    @Test
    void everyPartOfTheEventIsStored() throws Exception {
        LoggerContext ctx = start("%X{userId}");
        org.slf4j.Logger log = LoggerFactory.getLogger("com.example.Payments");
        Marker audit = MarkerFactory.getDetachedMarker("AUDIT");
        audit.add(MarkerFactory.getDetachedMarker("SECURITY"));
        audit.add(MarkerFactory.getDetachedMarker("PII"));
        Marker billing = MarkerFactory.getDetachedMarker("BILLING");
        IllegalStateException thrown = new IllegalStateException("payment failed",
                new IOException("gateway timed out"));
        thrown.addSuppressed(new IllegalArgumentException("rollback also failed"));

        Thread t = new Thread(() -> {
            MDC.put("userId", "u-42");
            MDC.put("requestId", "r-9");
            try {
                log.atError().addMarker(audit).addMarker(billing).addKeyValue("orderId", 1234)
                        .setMessage("payment of {} for {} refused").addArgument("12,50 €")
                        .addArgument("Zoë 日本").setCause(thrown).log();
            } finally {
                MDC.clear();
            }
        }, "checkout-worker-7");
        t.start();
        t.join();
        ILoggingEvent original = listAppender(ctx).list.get(0);
        ctx.reset();

        Event e = readAll(dir, "logs").get(0);
        assertThat(e.key()).isEqualTo("u-42");
        assertThat(e.timestampNanos()).isEqualTo(PendingEvent.epochNanos(original.getInstant()));
        assertThat(e.bodyText()).isEqualTo("payment of 12,50 € for Zoë 日本 refused");
        assertThat(e.attributes()).containsEntry(LogAttributes.LEVEL, "ERROR")
                .containsEntry(LogAttributes.LOGGER, "com.example.Payments")
                .containsEntry(LogAttributes.THREAD, "checkout-worker-7")
                .containsEntry(LogAttributes.CONTEXT_PREFIX + "userId", "u-42")
                .containsEntry(LogAttributes.CONTEXT_PREFIX + "requestId", "r-9")
                .containsEntry(BucketlogAppender.KEY_VALUE_PREFIX + "orderId", "1234")
                .containsEntry(LogAttributes.MARKER, "AUDIT[SECURITY,PII],BILLING")
                .containsEntry(LogAttributes.THROWN_CLASS, "java.lang.IllegalStateException")
                .containsEntry(LogAttributes.THROWN_MESSAGE, "payment failed");
        String trace = e.attribute(LogAttributes.THROWN);
        assertThat(trace).startsWith("java.lang.IllegalStateException: payment failed")
                .contains("at io.bucketlog.logback.EventMappingTest.everyPartOfTheEventIsStored")
                .contains("Suppressed: java.lang.IllegalArgumentException: rollback also failed")
                .contains("Caused by: java.io.IOException: gateway timed out");
        assertThat(trace.lines().filter(l -> l.trim().startsWith("at ")).count())
                .isGreaterThanOrEqualTo(thrown.getStackTrace().length);
    }

    @Test
    void timestampsKeepSubMillisecondPrecision() {
        LoggerContext ctx = start("");
        org.slf4j.Logger log = LoggerFactory.getLogger("clock");
        for (int i = 0; i < 50; i++) {
            log.info("tick {}", i);
        }
        List<ILoggingEvent> logged = new ArrayList<>(listAppender(ctx).list);
        ctx.reset();

        List<Event> stored = readAll(dir, "logs");
        assertThat(stored).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(stored.get(i).bodyText()).isEqualTo("tick " + i);
            assertThat(stored.get(i).timestampNanos())
                    .isEqualTo(PendingEvent.epochNanos(logged.get(i).getInstant()));
        }
        // Java's clock has microseconds on the platforms we run on: a millisecond-only mapping
        // would leave every one of these a multiple of 10^6.
        assertThat(stored).anyMatch(e -> e.timestampNanos() % 1_000_000 != 0);
    }

    @Test
    void argumentsAreSnapshottedWhenTheCallReturns() {
        LoggerContext ctx = start("%X{tenant}");
        org.slf4j.Logger log = LoggerFactory.getLogger("snap");
        StringBuilder amount = new StringBuilder("100");
        List<String> items = new ArrayList<>(List.of("apple"));
        MDC.put("tenant", "acme");
        log.atInfo().setMessage("order of {} for {}").addArgument(amount).addArgument(items)
                .addKeyValue("note", amount).log();
        MDC.put("tenant", "globex");
        amount.replace(0, amount.length(), "999");
        items.add("pear");
        log.info("order of {} for {}", amount, items);
        MDC.clear();
        ctx.reset();

        List<Event> stored = readAll(dir, "logs");
        assertThat(stored).extracting(Event::bodyText)
                .containsExactly("order of 100 for [apple]", "order of 999 for [apple, pear]");
        assertThat(stored).extracting(Event::key).containsExactly("acme", "globex");
        assertThat(stored.get(0).attribute(BucketlogAppender.KEY_VALUE_PREFIX + "note")).isEqualTo("100");
        assertThat(stored.get(0).attribute(LogAttributes.CONTEXT_PREFIX + "tenant")).isEqualTo("acme");
    }

    @Test
    void defaultKeyIsTheLoggerAndKeyLookupFindsOneLoggersEvents() {
        configure("options.xml", Map.of("directory", dir.toString()));
        for (int i = 0; i < 30; i++) {
            LoggerFactory.getLogger(i % 3 == 0 ? "a.Alpha" : "b.Beta").debug("n={}", i);
        }
        LogbackConfigs.context().reset();
        try (Store store = Store.openExisting(List.of(dir));
             EventScan scan = store.scan(new ScanRequest("logs", "a.Alpha", 0, Long.MAX_VALUE,
                     Direction.BACKWARD))) {
            List<Event> alpha = new ArrayList<>();
            scan.forEachRemaining(alpha::add);
            assertThat(alpha).extracting(Event::bodyText).containsExactly(
                    "n=27", "n=24", "n=21", "n=18", "n=15", "n=12", "n=9", "n=6", "n=3", "n=0");
            assertThat(alpha).allSatisfy(e -> assertThat(e.attribute(LogAttributes.LEVEL)).isEqualTo("DEBUG"));
        }
    }

    @Test
    void eventWithoutMessageMdcMarkersOrThrowableHasOnlyTheBasicAttributes() {
        start("");
        LoggerFactory.getLogger("plain").info(null);
        LogbackConfigs.context().reset();
        Event e = readAll(dir, "logs").get(0);
        assertThat(e.key()).as("a blank keyPattern means the default, %logger").isEqualTo("plain");
        assertThat(e.body()).isEmpty();
        assertThat(e.attributes()).containsOnlyKeys(LogAttributes.LEVEL, LogAttributes.LOGGER,
                LogAttributes.THREAD);
    }

    @SuppressWarnings("unchecked")
    private static ListAppender<ILoggingEvent> listAppender(LoggerContext ctx) {
        return (ListAppender<ILoggingEvent>) ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("LIST");
    }
}

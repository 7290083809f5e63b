package io.bucketlog.logback;

import static io.bucketlog.logback.LogbackConfigs.configure;
import static io.bucketlog.logback.LogbackConfigs.readAll;
import static io.bucketlog.logback.LogbackConfigs.rootAppender;
import static io.bucketlog.logback.LogbackConfigs.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.BasicStatusManager;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import io.bucketlog.Event;
import io.bucketlog.LogAttributes;
import io.bucketlog.WriterStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The ring fills when the bucket-writer thread falls behind. These tests make it fall behind for
 * as long as they like, through public behaviour only: an event with an invalid key (a control
 * character from the MDC) makes the writer report a rejection to Logback's status manager, and the
 * test's status manager holds that report, like an operator's slow status listener would. While
 * the writer thread is stuck there, its 2-slot ring is full.
 */
class RingFullTest {
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 500;

    @TempDir
    Path dir;

    private final StallingStatusManager stall = new StallingStatusManager();

    @AfterEach
    void restore() {
        stall.release.countDown();
        LoggerContext ctx = LogbackConfigs.context();
        ctx.reset();
        ctx.setStatusManager(new BasicStatusManager());
    }

    private LoggerContext startStalled(Map<String, String> options) throws InterruptedException {
        LogbackConfigs.context().setStatusManager(stall);
        Map<String, String> p = new java.util.HashMap<>(options);
        p.put("directory", dir.toString());
        p.put("ringBufferSize", "2");
        p.put("keyPattern", "%X{tenant}");
        LoggerContext ctx = configure("options.xml", p);
        assertThat(rootAppender(ctx).isStarted()).isTrue();
        MDC.put("tenant", "bad\u0007key");
        try {
            LoggerFactory.getLogger("app").info("poison");
        } finally {
            MDC.remove("tenant");
        }
        assertThat(stall.writerStalled.await(30, TimeUnit.SECONDS))
                .as("the bucket writer reports the rejected key").isTrue();
        return ctx;
    }

    @Test
    void fullRingDropsCountsAndWarnsWithoutBlockingTheCaller() throws Exception {
        LoggerContext ctx = startStalled(Map.of());
        BucketlogAppender appender = rootAppender(ctx);

        AtomicInteger returned = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            org.slf4j.Logger log = LoggerFactory.getLogger("app.t" + t);
            threads.add(new Thread(() -> {
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    log.info("event {}", i);
                    returned.incrementAndGet();
                }
            }, "app-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(2)); // a bound for a broken build, not a measurement
        }
        // Every call returned while the writer thread was still stuck.
        assertThat(returned.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
        assertThat(stall.writerStalled.getCount()).isZero();
        assertThat(stall.released.get()).isFalse();

        WriterStats during = appender.stats();
        // The poison event is in the writer's hands; at most one more slot was free.
        assertThat(during.appended() + during.dropped()).isEqualTo(1 + THREADS * CALLS_PER_THREAD);
        assertThat(during.dropped()).isGreaterThanOrEqualTo(THREADS * CALLS_PER_THREAD - 1);
        List<Status> warnings = statuses(ctx, Status.WARN).stream()
                .filter(s -> s.getMessage().startsWith("Bucketlog dropped")).toList();
        assertThat(warnings).as("rate-limited drop warnings").hasSizeBetween(1, 3);
        assertThat(warnings.get(0).getOrigin()).isSameAs(appender);

        stall.release.countDown();
        ctx.reset();
        List<Event> stored = readAll(dir, "logs");
        assertThat((long) stored.size()).isEqualTo(during.appended() - 1);
        assertThat(stored).noneMatch(e -> e.bodyText().equals("poison"));
    }

    @Test
    void writeErrorsGoToTheStatusManagerNeverBackIntoTheLogs() throws Exception {
        LoggerContext ctx = startStalled(Map.of());
        ListAppender<ILoggingEvent> list = listAppender(ctx);
        stall.release.countDown();
        LoggerFactory.getLogger("app").info("after");
        ctx.reset();

        assertThat(statuses(ctx, Status.ERROR)).singleElement().satisfies(s -> {
            assertThat(s.getMessage()).contains("event rejected").contains("control character");
            assertThat(s.getOrigin()).isInstanceOf(BucketlogAppender.class);
        });
        assertThat(stall.errorThreads).allMatch(n -> n.startsWith("bucketlog-writer-"));
        List<Event> stored = readAll(dir, "logs");
        assertThat(stored).extracting(Event::bodyText).containsExactly("after");
        assertThat(list.list).extracting(ILoggingEvent::getLoggerName)
                .containsOnly("app");
    }

    @Test
    void dropBelowDropsInfoButErrorWaitsForASlot() throws Exception {
        LoggerContext ctx = startStalled(Map.of("ringFullPolicy", "drop-below", "dropBelowLevel", "WARN"));
        BucketlogAppender appender = rootAppender(ctx);
        org.slf4j.Logger log = LoggerFactory.getLogger("app");
        for (int i = 0; i < 100; i++) {
            log.info("chatter {}", i);
        }
        long droppedInfo = appender.stats().dropped();
        assertThat(droppedInfo).isBetween(99L, 100L);

        AtomicBoolean errorReturned = new AtomicBoolean();
        Thread error = new Thread(() -> {
            log.error("must be kept");
            errorReturned.set(true);
        }, "app-error");
        error.start();
        error.join(500);
        assertThat(error.isAlive()).as("ERROR waits for a slot instead of being dropped").isTrue();
        assertThat(errorReturned.get()).isFalse();

        stall.release.countDown();
        error.join(TimeUnit.MINUTES.toMillis(2));
        assertThat(errorReturned.get()).isTrue();
        ctx.reset();
        List<Event> stored = readAll(dir, "logs");
        assertThat(stored).extracting(Event::bodyText).contains("must be kept");
        assertThat(stored).filteredOn(e -> "INFO".equals(e.attribute(LogAttributes.LEVEL)))
                .hasSize((int) (100 - droppedInfo));
    }

    @SuppressWarnings("unchecked")
    private static ListAppender<ILoggingEvent> listAppender(LoggerContext ctx) {
        return (ListAppender<ILoggingEvent>) ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("LIST");
    }

    /**
     * Holds an error status reported from a bucket-writer thread until released; passes every
     * other status straight through. Holds no lock while waiting, so other threads' statuses (the
     * drop warnings) are not held up by it.
     */
    static final class StallingStatusManager extends BasicStatusManager {
        final CountDownLatch writerStalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean released = new AtomicBoolean();
        final List<String> errorThreads = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void add(Status status) {
            String thread = Thread.currentThread().getName();
            if (status.getLevel() == Status.ERROR && status.getOrigin() instanceof BucketlogAppender) {
                errorThreads.add(thread);
                if (thread.startsWith("bucketlog-writer-")) {
                    writerStalled.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    released.set(true);
                }
            }
            super.add(status);
        }
    }
}

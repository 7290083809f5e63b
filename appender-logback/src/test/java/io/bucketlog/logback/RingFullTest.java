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
 * as long as they like, through public behaviour only: a burst into a 2-slot ring makes the writer
 * report its first loss to Logback's status manager, from its own thread, and the test's status
 * manager holds that report, like an operator's slow status listener would. While the writer
 * thread is stuck there, its ring is full.
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
        LoggerContext ctx = configure("options.xml", p);
        assertThat(rootAppender(ctx).isStarted()).isTrue();
        org.slf4j.Logger log = LoggerFactory.getLogger("app.burst");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stall.writerStalled.getCount() > 0 && System.nanoTime() < deadline) {
            log.info("burst {}", burst++);
        }
        assertThat(stall.writerStalled.getCount()).as("the bucket writer reports a loss").isZero();
        return ctx;
    }

    /** Events logged by {@link #startStalled} before the writer was held. */
    private long burst;

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
        // At most the ring's two slots were free while the writer was held.
        assertThat(during.appended()).isEqualTo(burst + THREADS * CALLS_PER_THREAD);
        assertThat(during.droppedRingFull()).isGreaterThanOrEqualTo(THREADS * CALLS_PER_THREAD - 2);
        List<Status> warnings = statuses(ctx, Status.WARN).stream()
                .filter(s -> s.getMessage().contains("since the last report")).toList();
        assertThat(warnings).as("the first loss, at once").hasSize(1);
        assertThat(warnings.get(0).getOrigin()).isSameAs(appender);

        stall.release.countDown();
        ctx.reset();
        List<Event> stored = readAll(dir, "logs");
        WriterStats end = appender.stats(); // the stopped writer's final counts
        long lost = during.appended() - stored.size();
        assertThat(end.appended()).isEqualTo(during.appended());
        assertThat(end.written()).isEqualTo(stored.size());
        assertThat(end.lost()).isEqualTo(end.droppedRingFull()).isEqualTo(lost);
        List<String> closing = statuses(ctx, Status.WARN).stream().map(Status::getMessage)
                .filter(m -> m.contains("closed: ")).toList();
        assertThat(closing).singleElement().asString()
                .contains("closed: " + during.appended() + " events appended, " + stored.size()
                        + " written, " + lost + " lost (ring full " + lost + ")");
        assertThat(stored).allMatch(e -> e.bodyText().startsWith("burst ") || e.bodyText().startsWith("event "));
    }

    @Test
    void lossReportsGoToTheStatusManagerNeverBackIntoTheLogs() throws Exception {
        LoggerContext ctx = startStalled(Map.of());
        ListAppender<ILoggingEvent> list = listAppender(ctx);
        stall.release.countDown();
        LoggerFactory.getLogger("app").warn("after"); // waits for a slot under drop-below WARN
        ctx.reset();

        assertThat(statuses(ctx, Status.WARN)).filteredOn(s -> s.getMessage().contains("lost"))
                .isNotEmpty().allSatisfy(s -> assertThat(s.getOrigin()).isInstanceOf(BucketlogAppender.class));
        assertThat(stall.reportThreads).allMatch(n -> n.startsWith("bucketlog-writer-"));
        List<Event> stored = readAll(dir, "logs");
        assertThat(stored).extracting(Event::bodyText).contains("after")
                .allMatch(b -> b.startsWith("burst ") || b.equals("after"));
        assertThat(list.list).extracting(ILoggingEvent::getLoggerName)
                .containsOnly("app", "app.burst");
    }

    @Test
    void dropBelowDropsInfoButErrorWaitsForASlot() throws Exception {
        LoggerContext ctx = startStalled(Map.of("ringFullPolicy", "drop-below", "dropBelowLevel", "WARN"));
        BucketlogAppender appender = rootAppender(ctx);
        org.slf4j.Logger log = LoggerFactory.getLogger("app");
        long before = appender.stats().dropped();
        for (int i = 0; i < 100; i++) {
            log.info("chatter {}", i);
        }
        long droppedInfo = appender.stats().dropped() - before;
        assertThat(droppedInfo).isBetween(98L, 100L);

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
        assertThat(stored).filteredOn(e -> e.bodyText().startsWith("chatter "))
                .hasSize((int) (100 - droppedInfo));
        assertThat(stored).filteredOn(e -> "ERROR".equals(e.attribute(LogAttributes.LEVEL))).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    private static ListAppender<ILoggingEvent> listAppender(LoggerContext ctx) {
        return (ListAppender<ILoggingEvent>) ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("LIST");
    }

    /**
     * Holds the first loss report from a bucket-writer thread until released; passes every other
     * status straight through. Holds no lock while waiting, so other threads' statuses are not
     * held up by it.
     */
    static final class StallingStatusManager extends BasicStatusManager {
        final CountDownLatch writerStalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean released = new AtomicBoolean();
        final List<String> reportThreads = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void add(Status status) {
            String thread = Thread.currentThread().getName();
            if (status.getLevel() == Status.WARN && status.getOrigin() instanceof BucketlogAppender
                    && status.getMessage().contains("since the last report")) {
                reportThreads.add(thread);
                if (thread.startsWith("bucketlog-writer-") && writerStalled.getCount() > 0) {
                    super.add(status);
                    writerStalled.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    released.set(true);
                    return;
                }
            }
            super.add(status);
        }
    }
}

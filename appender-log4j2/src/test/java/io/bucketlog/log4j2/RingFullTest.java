package io.bucketlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.WriterStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.status.StatusData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full ring never blocks the application under the default policy. The bucket-writer thread is
 * held up honestly: an oversized event makes it report an error, that report goes to the status
 * logger on the writer thread, and a status listener of this test keeps it there. Meanwhile many
 * threads log into a 2-slot ring.
 */
class RingFullTest {
    private static final String OVERSIZED = "larger than maxEventBytes";

    @TempDir
    Path dir;

    @Test
    void callsReturnWhileTheWriterIsStalledAndDropsAreCountedAndReported() throws Exception {
        System.setProperty("bucketlog.dir", dir.toString());
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (StatusCapture status = new StallingCapture(writerHeld, release)) {
            LoggerContext ctx = Stored.start("tiny", "tiny-ring.xml");
            BucketlogAppender appender = ctx.getConfiguration().getAppender("store");
            Logger log = ctx.getLogger("load");
            try {
                log.info("x".repeat(2 * 1024 * 1024)); // rejected by the writer: too large
                assertThat(writerHeld.await(60, TimeUnit.SECONDS)).isTrue();

                int threads = 8;
                int perThread = 1_000;
                AtomicLong returned = new AtomicLong();
                List<Thread> loggers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    Thread th = new Thread(() -> {
                        for (int i = 0; i < perThread; i++) {
                            log.info("thread {} event {}", id, i);
                            returned.incrementAndGet();
                        }
                    }, "logger-" + t);
                    th.start();
                    loggers.add(th);
                }
                for (Thread th : loggers) {
                    th.join(120_000);
                }
                // Every call returned although the writer has not taken an event since.
                assertThat(returned.get()).isEqualTo((long) threads * perThread);
                assertThat(writerHeld.getCount()).isZero();

                WriterStats stats = appender.stats();
                assertThat(stats.appended() + stats.dropped()).isEqualTo(1L + threads * perThread);
                assertThat(stats.appended()).isLessThanOrEqualTo(1 + 2);
                assertThat(stats.dropped()).isGreaterThanOrEqualTo((long) threads * perThread - 2);

                List<String> warnings = status.texts(Level.WARN, m -> m.contains("dropped"));
                assertThat(warnings).isNotEmpty();
                assertThat(warnings.get(0)).startsWith("Bucketlog appender 'store': Bucketlog dropped ");
                assertThat((long) warnings.size()).isLessThan(stats.dropped() / 100);

                // The writer's error went to the status logger, naming the appender.
                List<String> errors = status.texts(Level.ERROR, m -> m.contains(OVERSIZED));
                assertThat(errors).hasSize(1);
                assertThat(errors.get(0)).startsWith("Bucketlog appender 'store': ");
            } finally {
                release.countDown();
                ctx.stop();
            }
            WriterStats end = appender.stats();
            List<Event> stored = Stored.events(dir, "tiny");
            assertThat(end.rejected()).isEqualTo(1);
            assertThat((long) stored.size()).isEqualTo(end.appended() - 1).isEqualTo(end.written());
            // Nothing of the appender's own reports was logged back into it.
            assertThat(stored).allSatisfy(e -> assertThat(e.bodyText()).startsWith("thread "));
            assertThat(Stored.bucketsSealed(dir)).isNotEmpty().containsOnly(true);
        }
    }

    /** Holds the bucket-writer thread inside its error report until released. */
    private static final class StallingCapture extends StatusCapture {
        private final CountDownLatch held;
        private final CountDownLatch release;

        StallingCapture(CountDownLatch held, CountDownLatch release) {
            this.held = held;
            this.release = release;
        }

        @Override
        public void log(StatusData data) {
            super.log(data);
            if (data.getMessage().getFormattedMessage().contains(OVERSIZED)) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}

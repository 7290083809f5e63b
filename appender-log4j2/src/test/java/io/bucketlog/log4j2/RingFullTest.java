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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.status.StatusData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full ring never blocks the application under the default policy, and what it costs is
 * reported exactly. The bucket-writer thread is held up honestly: its first loss report goes to
 * the status logger on the writer thread, and a status listener of this test keeps it there while
 * many threads log into a 2-slot ring.
 */
class RingFullTest {
    private static final Pattern FINAL = Pattern.compile(
            "closed: (\\d+) events appended, (\\d+) written, (\\d+) lost \\(ring full (\\d+)\\)");

    @TempDir
    Path dir;

    @Test
    void callsReturnWhileTheWriterIsStalledAndTheReportedTotalsEqualWhatIsMissingFromTheStore()
            throws Exception {
        System.setProperty("bucketlog.dir", dir.toString());
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long produced = 0;
        try (StatusCapture status = new StallingCapture(writerHeld, release)) {
            LoggerContext ctx = Stored.start("tiny", "tiny-ring.xml");
            BucketlogAppender appender = ctx.getConfiguration().getAppender("store");
            Logger log = ctx.getLogger("load");
            try {
                // A burst until the writer reports its first loss (and is held there).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (writerHeld.getCount() > 0 && System.nanoTime() < deadline) {
                    log.info("thread main event {}", produced++);
                }
                assertThat(writerHeld.getCount()).as("a loss was reported").isZero();

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
                produced += threads * perThread;
                // Every call returned although the writer has not taken an event since.
                assertThat(returned.get()).isEqualTo((long) threads * perThread);

                WriterStats stats = appender.stats();
                assertThat(stats.appended()).isEqualTo(produced);
                assertThat(stats.droppedRingFull()).isGreaterThanOrEqualTo((long) threads * perThread - 2);

                List<String> first = status.texts(Level.WARN, m -> m.contains("since the last report"));
                assertThat(first).hasSize(1);
                assertThat(first.get(0)).startsWith("Bucketlog appender 'store': Bucketlog writer ")
                        .contains("ring full");
            } finally {
                release.countDown();
                ctx.stop();
            }
            WriterStats end = appender.stats();
            List<Event> stored = Stored.events(dir, "tiny");
            assertThat(end.appended()).isEqualTo(produced);
            assertThat((long) stored.size()).isEqualTo(end.written());
            assertThat(end.lost()).isEqualTo(produced - stored.size());
            assertThat(end.inFlight()).isZero();

            // The final report, on the status logger, states those same totals.
            List<String> closing = status.texts(Level.WARN, m -> m.contains("closed: "));
            assertThat(closing).hasSize(1);
            Matcher m = FINAL.matcher(closing.get(0));
            assertThat(m.find()).as(closing.get(0)).isTrue();
            assertThat(Long.parseLong(m.group(1))).isEqualTo(produced);
            assertThat(Long.parseLong(m.group(2))).isEqualTo(stored.size());
            assertThat(Long.parseLong(m.group(3))).isEqualTo(produced - stored.size());
            assertThat(Long.parseLong(m.group(4))).isEqualTo(produced - stored.size());
            // Nothing of the appender's own reports was logged back into it.
            assertThat(stored).allSatisfy(e -> assertThat(e.bodyText()).startsWith("thread "));
            assertThat(Stored.bucketsSealed(dir)).isNotEmpty().containsOnly(true);
        }
    }

    @Test
    void anErrorWithoutACauseIsReportedWithoutAPlaceholderWarning() {
        try (StatusCapture status = new StatusCapture()) {
            BucketlogAppender.statusErrors("store").onError("cannot write to x", null);
            assertThat(status.texts(Level.ERROR, m -> true))
                    .containsExactly("Bucketlog appender 'store': cannot write to x");
            assertThat(status.texts(Level.WARN, m -> true)).isEmpty();
        }
    }

    /** Holds the bucket-writer thread inside its first loss report until released. */
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
            if (data.getMessage().getFormattedMessage().contains("since the last report")) {
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

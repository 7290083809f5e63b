package io.bucketlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.AsynchronouslyFormattable;
import org.apache.logging.log4j.message.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message is formatted before a ring slot is claimed: a claimed slot that is not yet
 * published holds up the bucket writer, and with it every other thread's events.
 */
class FormatBeforeClaimTest {
    @TempDir
    Path dir;
    LoggerContext ctx;
    BucketlogAppender appender;

    @BeforeEach
    void start() {
        System.setProperty("bucketlog.dir", dir.toString());
        ctx = Stored.start("format-before-claim", "mapping.xml");
        appender = ctx.getConfiguration().getAppender("store");
    }

    @AfterEach
    void stop() {
        ctx.stop();
    }

    @Test
    void aParameterWhoseToStringBlocksDoesNotHoldUpAnotherThreadsEvents() throws Exception {
        Logger log = ctx.getLogger("com.example.Slow");
        CountDownLatch formatting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Object slow = new Object() {
            @Override
            public String toString() {
                formatting.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "finally";
            }
        };
        Thread blocked = new Thread(() -> log.info("slow {}", slow), "blocked-in-toString");
        blocked.start();
        try {
            assertThat(formatting.await(30, TimeUnit.SECONDS)).isTrue();
            log.info("fast");
            // Written means handed to the OS by the bucket writer, which consumes slots in order:
            // it gets there only if the blocked thread holds no slot before this one.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (appender.stats().written() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(appender.stats().written()).as("events written while toString() blocks").isEqualTo(1);
            assertThat(Stored.events(dir, "mapping")).extracting(Event::bodyText).containsExactly("fast");
        } finally {
            release.countDown();
            blocked.join();
        }
        ctx.stop();
        assertThat(Stored.events(dir, "mapping")).extracting(Event::bodyText)
                .containsExactlyInAnyOrder("fast", "slow finally");
        assertThat(appender.stats().lost()).isZero();
    }

    @Test
    void aMessageThatFailsToFormatIsCountedAsRejectedAndTheNextOneIsStored() {
        Logger log = ctx.getLogger("com.example.Broken");
        log.info(new FailingMessage());
        log.info("after {}", "the failure");
        ctx.stop();
        assertThat(Stored.events(dir, "mapping")).extracting(Event::bodyText).containsExactly("after the failure");
        assertThat(appender.stats().appended()).isEqualTo(2);
        assertThat(appender.stats().rejectedInvalid()).isEqualTo(1);
        assertThat(appender.stats().written()).isEqualTo(1);
    }

    /**
     * A message whose formatting throws, as a broken custom message might. Marked so that Log4j2
     * leaves the formatting to the appenders instead of trying it up front.
     */
    @AsynchronouslyFormattable
    private static final class FailingMessage implements Message {
        private static final long serialVersionUID = 1L;

        @Override
        public String getFormattedMessage() {
            throw new IllegalStateException("cannot format");
        }

        @Override
        public Object[] getParameters() {
            return new Object[0];
        }

        @Override
        public Throwable getThrowable() {
            return null;
        }

        @Override
        @Deprecated
        public String getFormat() {
            return "";
        }
    }
}

package io.bucketlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.AsynchronouslyFormattable;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.StringBuilderFormattable;
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
        ctx = Stored.start("format-before-claim", "format-before-claim.xml");
        appender = ctx.getConfiguration().getAppender("store");
    }

    @AfterEach
    void stop() {
        ctx.stop();
    }

    /**
     * Log4j2 formats its own parameterised messages before the appenders see them, so what can
     * still run slow code in the appender is a message it leaves to them (marked
     * {@link AsynchronouslyFormattable}) and a throwable's message, which the stack trace prints.
     */
    @Test
    void aMessageWhoseFormattingBlocksDoesNotHoldUpAnotherThreadsEvents() throws Exception {
        Gate gate = new Gate();
        Logger log = ctx.getLogger("com.example.Slow");
        storesOtherEventsWhileBlocked(gate, () -> log.info(new AppenderFormatted(b -> {
            gate.pass();
            b.append("slow message");
        })));
        assertThat(Stored.events(dir, "slow")).extracting(Event::bodyText)
                .containsExactlyInAnyOrder("fast", "slow message");
    }

    @Test
    void aThrowableWhoseMessageBlocksDoesNotHoldUpAnotherThreadsEvents() throws Exception {
        Gate gate = new Gate();
        Logger log = ctx.getLogger("com.example.Slow");
        RuntimeException slow = new RuntimeException() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
                gate.pass();
                return "slow cause";
            }
        };
        storesOtherEventsWhileBlocked(gate, () -> log.error("failed", slow));
        assertThat(Stored.events(dir, "slow")).extracting(Event::bodyText)
                .containsExactlyInAnyOrder("fast", "failed");
    }

    /**
     * Runs {@code blockedCall} on a thread of its own until it is blocked in the gate, logs another
     * event on this thread, and checks that that event is written before the gate opens. The
     * bucket writer consumes slots in order, so it gets there only if the blocked thread holds
     * no claimed slot.
     */
    private void storesOtherEventsWhileBlocked(Gate gate, Runnable blockedCall) throws Exception {
        Thread blocked = new Thread(blockedCall, "blocked-while-formatting");
        blocked.start();
        try {
            assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
            ctx.getLogger("com.example.Fast").info("fast");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (appender.stats().written() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(appender.stats().written()).as("events written while one is blocked").isEqualTo(1);
            assertThat(Stored.events(dir, "slow")).extracting(Event::bodyText).containsExactly("fast");
        } finally {
            gate.release.countDown();
            blocked.join();
        }
        ctx.stop();
        assertThat(appender.stats().written()).isEqualTo(2);
        assertThat(appender.stats().lost()).isZero();
    }

    /** Blocks the first thread that passes until released. */
    private static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        void pass() {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aMessageThatFailsToFormatIsCountedAsRejectedAndTheNextOneIsStored() {
        Logger log = ctx.getLogger("com.example.Broken");
        log.info(new AppenderFormatted(b -> {
            throw new IllegalStateException("cannot format");
        }));
        log.info("after {}", "the failure");
        ctx.stop();
        assertThat(Stored.events(dir, "slow")).extracting(Event::bodyText).containsExactly("after the failure");
        assertThat(appender.stats().appended()).isEqualTo(2);
        assertThat(appender.stats().rejectedInvalid()).isEqualTo(1);
        assertThat(appender.stats().written()).isEqualTo(1);
    }

    /**
     * A message that Log4j2 leaves to the appenders to format (instead of formatting it up front),
     * formatted by the given code.
     */
    @AsynchronouslyFormattable
    private static final class AppenderFormatted implements Message, StringBuilderFormattable {
        private static final long serialVersionUID = 1L;
        private final transient Consumer<StringBuilder> format;

        AppenderFormatted(Consumer<StringBuilder> format) {
            this.format = format;
        }

        @Override
        public void formatTo(StringBuilder buffer) {
            format.accept(buffer);
        }

        @Override
        public String getFormattedMessage() {
            StringBuilder b = new StringBuilder();
            formatTo(b);
            return b.toString();
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

package io.bucketlog.bench.harness;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * The Logback floor of the harness: an {@link AppenderBase} that discards every event, as Log4j2's
 * {@code NullAppender} does, so that its row is the cost of Logback itself for the workload's call.
 */
public final class DiscardingAppender extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
        // Discards: the floor measures the framework, not an appender.
    }
}

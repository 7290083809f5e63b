package io.bucketlog.log4j2;

import io.bucketlog.WriteErrorListener;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Sends the writer's problems (full disk, rejected events...) to Log4j2's {@link StatusLogger},
 * never to a {@link org.apache.logging.log4j.LogManager} logger: a logger could route the report
 * back into the failing appender. At most one report per interval; the others are counted and the
 * count is given with the next report, so a failing disk cannot flood the status channel.
 *
 * <p>Called on the bucket-writer thread only; synchronised anyway because that is cheap here.
 */
final class StatusErrorListener implements WriteErrorListener {
    private static final Logger STATUS = StatusLogger.getLogger();

    private final String appenderName;
    private final long intervalNanos;
    private long nextNanos;
    private long suppressed;

    StatusErrorListener(String appenderName, long intervalMillis) {
        this.appenderName = appenderName;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nextNanos = System.nanoTime();
    }

    @Override
    public synchronized void onError(String message, Throwable cause) {
        long now = System.nanoTime();
        if (now - nextNanos < 0) {
            suppressed++;
            return;
        }
        nextNanos = now + intervalNanos;
        String more = suppressed == 0 ? "" : " (" + suppressed + " more problems since the last report)";
        suppressed = 0;
        STATUS.error("Bucketlog appender '{}': {}{}", appenderName, message, more, cause);
    }
}

package io.bucketlog.logback;

import ch.qos.logback.core.spi.ContextAware;
import io.bucketlog.WriteErrorListener;

/**
 * Routes the writer's problems (full disk, rejected events...) to Logback's status manager, never
 * to a logger: a logger could lead back into the appender whose writer thread is reporting, which
 * would recurse or fill the very ring that thread drains.
 *
 * <p>Called on the bucket-writer thread. At most one message per {@link #intervalNanos} reaches
 * the status manager; the others are counted and the count is added to the next message, so a
 * failing disk yields a steady trickle of statuses, not one per event.
 */
final class StatusErrorListener implements WriteErrorListener {
    private final ContextAware status;
    private final long intervalNanos;
    private long lastNanos;
    private long suppressed;

    StatusErrorListener(ContextAware status, long intervalMillis) {
        this.status = status;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.lastNanos = System.nanoTime() - intervalNanos;
    }

    @Override
    public synchronized void onError(String message, Throwable cause) {
        long now = System.nanoTime();
        if (now - lastNanos < intervalNanos) {
            suppressed++;
            return;
        }
        lastNanos = now;
        String more = suppressed > 0 ? " (" + suppressed + " similar problems not shown)" : "";
        suppressed = 0;
        status.addError("Bucketlog: " + message + more, cause);
    }
}

package io.bucketlog.config;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Turns drops into at most one warning per interval for the logging framework's status channel:
 * enough for an operator to see that events are being lost, never a flood that itself slows the
 * application. Safe for any number of threads; the common path is one read of a clock and one
 * comparison.
 */
public final class DropReporter {
    /** How often the appenders warn about drops at most: every 10 seconds. */
    public static final long DEFAULT_INTERVAL_MILLIS = 10_000;

    private final long intervalNanos;
    private final AtomicLong nextReportNanos;
    private final AtomicLong reportedTotal = new AtomicLong();

    public DropReporter(long intervalMillis) {
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nextReportNanos = new AtomicLong(System.nanoTime());
    }

    /**
     * Called after an event was dropped.
     *
     * @param droppedTotal the writer's drop counter now
     * @param warn receives the warning when one is due
     */
    public void dropped(long droppedTotal, Consumer<String> warn) {
        if (due()) {
            report(droppedTotal, warn);
        }
    }

    /**
     * Like {@link #dropped(long, Consumer)}, but reads the drop counter only when a warning is
     * due, so that a drop between two warnings costs no counter snapshot (no allocation).
     */
    public void dropped(LongSupplier droppedTotal, Consumer<String> warn) {
        if (due()) {
            report(droppedTotal.getAsLong(), warn);
        }
    }

    private boolean due() {
        long now = System.nanoTime();
        long due = nextReportNanos.get();
        return now - due >= 0 && nextReportNanos.compareAndSet(due, now + intervalNanos);
    }

    private void report(long droppedTotal, Consumer<String> warn) {
        long before = reportedTotal.getAndSet(droppedTotal);
        warn.accept("Bucketlog dropped " + (droppedTotal - before) + " log events because its ring"
                + " buffer was full (" + droppedTotal + " in total); the disk is slower than the"
                + " logging rate: raise ringBufferSize or choose ringFullPolicy=block or drop-below");
    }
}

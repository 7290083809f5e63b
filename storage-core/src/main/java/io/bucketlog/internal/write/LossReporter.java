package io.bucketlog.internal.write;

import io.bucketlog.LossListener;
import io.bucketlog.LossReport;
import io.bucketlog.WriteErrorListener;
import io.bucketlog.WriterStats;

/**
 * Turns a writer's counters into {@link LossReport}s: the first loss at once (within a check
 * interval), then the exact losses since the previous report at most once per report interval,
 * and a final report at close. Checked from the bucket-writer thread's ticks, so drops are
 * reported even when no further event arrives; the final report comes from the closing thread.
 */
final class LossReporter {
    private static final long CHECK_INTERVAL_NANOS = 100_000_000L;

    private final String writerId;
    private final WriterCounters counters;
    private final LossListener listener;
    private final WriteErrorListener errors;
    private final long intervalNanos;
    private WriterStats reported = WriterStats.EMPTY;
    private long nextReportNanos;
    private long nextCheckNanos;
    private boolean closed;

    LossReporter(String writerId, WriterCounters counters, LossListener listener,
                 WriteErrorListener errors, long intervalNanos, long startNanos) {
        this.writerId = writerId;
        this.nextReportNanos = startNanos;
        this.nextCheckNanos = startNanos;
        this.counters = counters;
        this.listener = listener;
        this.errors = errors;
        this.intervalNanos = intervalNanos;
    }

    /** Reports the losses since the last report if there are any and a report is due. */
    synchronized void tick(long nowNanos) {
        if (closed || nowNanos - nextCheckNanos < 0) {
            return;
        }
        nextCheckNanos = nowNanos + CHECK_INTERVAL_NANOS;
        if (nowNanos - nextReportNanos < 0) {
            return;
        }
        WriterStats now = counters.snapshot();
        if (now.lost() == reported.lost()) {
            return;
        }
        nextReportNanos = nowNanos + intervalNanos;
        send(new LossReport(writerId, now.minus(reported), now, false));
        reported = now;
    }

    /** The final report, with every total; once. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        WriterStats now = counters.snapshot();
        send(new LossReport(writerId, now.minus(reported), now, true));
    }

    private void send(LossReport report) {
        try {
            listener.onReport(report);
        } catch (RuntimeException e) {
            errors.onError("the loss listener failed", e);
        }
    }
}

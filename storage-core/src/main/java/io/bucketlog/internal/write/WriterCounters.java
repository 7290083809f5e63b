package io.bucketlog.internal.write;

import io.bucketlog.WriterStats;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A writer's counters. Producer-side counts are {@link LongAdder}s (many threads, no contention);
 * the bucket writer counts in its own {@link Tally} of plain fields and publishes it here once per
 * batch, so the hot path pays for no shared write per event.
 */
final class WriterCounters {
    final LongAdder appended = new LongAdder();
    final LongAdder droppedRingFull = new LongAdder();
    final LongAdder droppedClosed = new LongAdder();
    private final AtomicLongArray published = new AtomicLongArray(Outcome.values().length);
    /** What {@link #unwrittenSince} holds when every event taken from the ring is in the OS. */
    static final long NONE = Long.MIN_VALUE;
    /**
     * The bucket writer's monotonic clock ({@link WriterClock#monotonicNanos}) when the oldest
     * event not yet handed to the OS reached it, or {@link #NONE}: set by the bucket writer once
     * per batch.
     */
    private volatile long unwrittenSince = NONE;

    /** What the bucket writer counts: each event it takes from the ring ends in one outcome. */
    enum Outcome {
        WRITTEN, REJECTED_TOO_LARGE, REJECTED_INVALID, REJECTED_CLOCK_SKEW, REJECTED_UNKNOWN_STREAM,
        FAILED_WRITE, FAILED_ERROR,
        /**
         * Refused by a full object-store spool ({@link io.bucketlog.spi.SpoolFullException}):
         * reported in {@link WriterStats#droppedRingFull()}, as the issue of a full ring is.
         */
        DROPPED_SPOOL_FULL,
        /** Not outcomes but marks on written events, and the writer's other totals. */
        TRUNCATED, SANITISED, BYTES, OPENED, SEALED
    }

    /** The bucket writer's own counts; touched by its thread only. */
    static final class Tally {
        private final long[] counts = new long[Outcome.values().length];

        void add(Outcome o, long n) {
            counts[o.ordinal()] += n;
        }

        void count(Outcome o) {
            counts[o.ordinal()]++;
        }
    }

    void publish(Tally tally) {
        for (int i = 0; i < tally.counts.length; i++) {
            published.setRelease(i, tally.counts[i]);
        }
    }

    void unwrittenSince(long nanos) {
        unwrittenSince = nanos;
    }

    long unwrittenSince() {
        return unwrittenSince;
    }

    /**
     * The age of the oldest event not yet in the OS, 0 when there is none.
     *
     * @param nowNanos the bucket writer's monotonic clock, which {@link #unwrittenSince} is read on
     */
    long writeLagNanos(long nowNanos) {
        long since = unwrittenSince;
        return since == NONE ? 0 : Math.max(0, nowNanos - since);
    }

    WriterStats snapshot() {
        // Producer counts first: an event is counted appended before the writer can count its
        // outcome, so a snapshot never shows more outcomes than appends.
        long appendedNow = appended.sum();
        long full = droppedRingFull.sum() + get(Outcome.DROPPED_SPOOL_FULL);
        long closed = droppedClosed.sum();
        return new WriterStats(appendedNow, get(Outcome.WRITTEN), full, closed,
                get(Outcome.REJECTED_TOO_LARGE), get(Outcome.REJECTED_INVALID),
                get(Outcome.REJECTED_CLOCK_SKEW), get(Outcome.REJECTED_UNKNOWN_STREAM),
                get(Outcome.FAILED_WRITE), get(Outcome.FAILED_ERROR), get(Outcome.TRUNCATED),
                get(Outcome.SANITISED), get(Outcome.BYTES), get(Outcome.OPENED), get(Outcome.SEALED));
    }

    private long get(Outcome o) {
        return published.getAcquire(o.ordinal());
    }
}

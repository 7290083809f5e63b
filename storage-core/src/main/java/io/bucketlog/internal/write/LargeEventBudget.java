package io.bucketlog.internal.write;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The characters that all of a writer's ring slots together may hold beyond
 * {@link RingSlot#MAX_RETAINED_CHARS} each. A slot takes from it before it copies the large part
 * of an event and gives it back when the bucket writer is done with the slot; when it is spent, a
 * large event is cut (and marked truncated) instead of copied. So a burst of huge events costs at
 * most {@code ringSize * MAX_RETAINED_CHARS} plus this budget, whatever their size.
 */
final class LargeEventBudget {
    private final AtomicLong left;

    LargeEventBudget(long chars) {
        this.left = new AtomicLong(chars);
    }

    /** Takes up to {@code wanted} characters; returns how many it got. */
    long take(long wanted) {
        while (true) {
            long now = left.get();
            long got = Math.min(now, wanted);
            if (got <= 0) {
                return 0;
            }
            if (left.compareAndSet(now, now - got)) {
                return got;
            }
        }
    }

    void give(long chars) {
        if (chars > 0) {
            left.addAndGet(chars);
        }
    }
}

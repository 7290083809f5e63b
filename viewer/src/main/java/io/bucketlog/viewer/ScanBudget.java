package io.bucketlog.viewer;

import io.bucketlog.Event;
import java.util.function.Predicate;

/**
 * The bound on one request's reading: a filter that accepts every event but counts them, and ends
 * the scan with {@link Exhausted} once too many were examined or the deadline passed. It is the
 * first filter of a query, so it sees each event the scan decodes, before the others; a regular
 * expression also checks it while matching ({@link DeadlineText}).
 */
final class ScanBudget implements Predicate<Event> {
    private final long maxEvents;
    private final long deadlineNanos;
    private long examined;

    /** The budget of one request under these options, starting now. */
    static ScanBudget forRequest(ViewerOptions options) {
        return new ScanBudget(options.maxEventsExamined(), options.requestTimeout().toNanos());
    }

    ScanBudget(long maxEvents, long timeoutNanos) {
        this.maxEvents = maxEvents;
        this.deadlineNanos = System.nanoTime() + timeoutNanos;
    }

    @Override
    public boolean test(Event e) {
        examined++;
        if (examined > maxEvents) {
            throw new Exhausted("examined " + maxEvents + " events");
        }
        if ((examined & 1023) == 0) {
            checkDeadline();
        }
        return true;
    }

    void checkDeadline() {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new Exhausted("ran out of time after examining " + examined + " events");
        }
    }

    /** Thrown out of the scan when the budget is spent; the request answers with what it has. */
    static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exhausted(String message) {
            super(message, null, false, false);
        }
    }
}

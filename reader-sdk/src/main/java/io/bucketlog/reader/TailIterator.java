package io.bucketlog.reader;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.LockSupport;

/**
 * A live tail as a blocking iterator: {@link #hasNext()} waits until an event arrives or the tail
 * is closed; {@link #poll(Duration)} waits at most a given time. What a tail delivers, and in
 * which order, is described on {@link Tail}.
 *
 * <p>One consuming thread; {@link #close()} may be called from any thread and ends the iteration
 * within one poll interval.
 */
public final class TailIterator implements Iterator<Event>, AutoCloseable {
    private final TailFollower follower;
    private final long pollNanos;
    private final Runnable onClose;
    private volatile boolean closed;
    private Cursor cursor;

    TailIterator(TailFollower follower, Duration pollInterval, Runnable onClose) {
        this.follower = follower;
        this.pollNanos = pollInterval.toNanos();
        this.onClose = onClose;
    }

    /** Waits for the next event; {@code false} only once the tail is closed. */
    @Override
    public boolean hasNext() {
        return await(Long.MAX_VALUE);
    }

    /** The next event, waiting for it if needed. */
    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the tail is closed");
        }
        cursor = null;
        return follower.take();
    }

    /**
     * The next event, or {@code null} if none arrived within {@code timeout} or the tail is
     * closed.
     */
    public Event poll(Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        if (!await(deadline)) {
            return null;
        }
        cursor = null;
        return follower.take();
    }

    private boolean await(long deadlineNanos) {
        while (!closed) {
            if (follower.peek() != null) {
                return true;
            }
            if (follower.hasMore()) {
                continue;
            }
            long left = deadlineNanos == Long.MAX_VALUE ? pollNanos : deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, pollNanos));
        }
        return false;
    }

    /**
     * A cursor naming exactly the events returned so far: a tail {@linkplain Tail#from(Cursor)
     * resumed} from it delivers every event this one has not, and none that it has.
     */
    public Cursor cursor() {
        if (cursor == null) {
            cursor = Cursor.ofTail(follower.position());
        }
        return cursor;
    }

    /** Damage met so far: each place once, with how often it was met again. */
    public List<CorruptionReport> corruptions() {
        return follower.corruptions();
    }

    /** Ends the tail; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}

package io.bucketlog.internal.write;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.locks.LockSupport;

/**
 * How the bucket writer waits for events: it spins briefly, then sleeps in growing steps (from
 * {@value #MIN_PARK_NANOS} ns to {@value #MAX_PARK_NANOS} ns) and looks again, and it reports a
 * timeout once per tick so that lingering blocks are written and idle buckets sealed.
 *
 * <p>Producers never wake it ({@link #signalAllWhenBlocking()} does nothing): waking a sleeping
 * thread is a system call that the logging thread would pay for, and on a busy machine it is what
 * made an append's p99 ten times its median. A spinning consumer avoids that too, but keeps a
 * core busy, which on a small machine steals time from the producers. Polling costs an event at
 * most {@value #MAX_PARK_NANOS} ns of delay after a quiet spell, well under the block linger.
 *
 * <p>Why the first sleep is not shorter: at a steady 100 k events/s a 10 µs sleep woke the writer
 * for a handful of events each time, some 16,000 wake-ups a second, a second thread of the process
 * runnable again and again beside the logging thread on a two-core machine; the paced benchmark
 * had about twice as many calls of 50 µs or more than with 200 µs (docs/PERFORMANCE.md, "The
 * paced run's slow calls").
 */
final class PollingWaitStrategy implements WaitStrategy {
    private static final int SPINS = 200;
    private static final long MIN_PARK_NANOS = 200_000;
    private static final long MAX_PARK_NANOS = 1_000_000;

    private final long tickNanos;

    PollingWaitStrategy(long tickNanos) {
        this.tickNanos = tickNanos;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence,
                        SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        long available;
        int spins = SPINS;
        long park = MIN_PARK_NANOS;
        long start = 0;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            if (spins > 0) {
                spins--;
                Thread.onSpinWait();
                continue;
            }
            long now = System.nanoTime();
            if (start == 0) {
                start = now;
            } else if (now - start >= tickNanos) {
                throw TimeoutException.INSTANCE;
            }
            LockSupport.parkNanos(park);
            park = Math.min(park * 2, MAX_PARK_NANOS);
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        // the bucket writer polls; see the class comment
    }
}

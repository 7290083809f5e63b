package io.bucketlog.internal.write;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.bucketlog.EventFiller;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Writer;
import io.bucketlog.WriterBacklog;
import io.bucketlog.WriterOptions;
import io.bucketlog.WriterStats;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StreamCatalog;
import io.bucketlog.metrics.MBeanRegistration;
import io.bucketlog.metrics.WriterMXBean;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.management.JMException;

/**
 * The {@link Writer}: a multi-producer Disruptor ring buffer of preallocated {@link RingSlot}s in
 * front of one bucket-writer thread running {@link BucketWriter}.
 *
 * <h2>Concurrency</h2>
 * Producers claim a slot with {@code tryNext} (retrying while they may wait, see {@link #claim}),
 * fill it and publish it; the claim-publish pair is always completed, even when
 * the filler throws (the slot is then marked cancelled), because the ring cannot skip a claimed
 * sequence. The bucket writer numbers the events it stores ({@link io.bucketlog.EventId}), in ring
 * order. Producers never wake the bucket writer: it polls ({@link PollingWaitStrategy}), and
 * times out every tick (the block linger, or {@value #TICK_MILLIS} ms without one) to write
 * lingering blocks, seal idle buckets and run timed fsyncs.
 *
 * <h2>A full ring</h2>
 * A producer that finds the ring full never spins: under {@code DROP} (and for events below the
 * threshold under {@code DROP_BELOW}) it parks once for {@value #DROP_BACKOFF_NANOS} ns, tries
 * once more and then drops; a waiting producer parks {@value #WAIT_NANOS} ns between tries. A
 * full ring means the bucket writer is the bottleneck, and producers retrying at full speed take
 * the cores it needs to empty the ring (8 producers on 2 cores: {@code DROP} stored 0.16 M
 * events/s against 1.23 M for {@code BLOCK} before this backoff, 0.98 against 0.98 after; see
 * {@code benchmarks/RingFullRate}). The logging call then waits at most that long: never on I/O.
 *
 * <h2>Shutdown</h2>
 * With {@code closeOnJvmShutdown} a JVM shutdown hook closes the writer, but first waits for the
 * logging framework's own shutdown to close it (its hook stops the appenders after the
 * application's last messages): while the writer is open it keeps writing, and the hook closes it
 * only when it is still open after {@code shutdownTimeout}, or after {@value #QUIET_MILLIS} ms
 * without a new event.
 */
public final class RingWriter implements Writer {
    static final long TICK_MILLIS = 100;
    private static final long MIN_TICK_NANOS = 500_000;
    /** How long a producer waiting for a free slot sleeps between tries. */
    private static final long WAIT_NANOS = 20_000;
    /** How long a producer that will drop on a full ring first gives the writer thread. */
    static final long DROP_BACKOFF_NANOS = 50_000;
    /** How long the shutdown hook waits without any event before it closes a writer itself. */
    static final long QUIET_MILLIS = 1000;
    /** The large-event budget, in multiples of {@code maxEventBytes}, and at least: */
    private static final int LARGE_BUDGET_EVENTS = 8;
    private static final long MIN_LARGE_BUDGET_CHARS = 16L * 1024 * 1024;
    /** What {@link #claim} returns instead of a sequence. */
    private static final long FULL = -1;
    private static final long CLOSED = -2;
    /**
     * Whether this thread is inside a filler, holding a claimed slot. A {@code boolean[]} rather
     * than a {@code Boolean} so that reading and setting it allocates nothing.
     */
    private static final ThreadLocal<boolean[]> FILLING = ThreadLocal.withInitial(() -> new boolean[1]);
    private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String writerId;
    private final WriterOptions options;
    private final RingBuffer<RingSlot> ring;
    private final BatchEventProcessor<RingSlot> processor;
    private final Thread thread;
    private final WriterCounters counters = new WriterCounters();
    /** The bucket writer's clocks; write lag and loss reports are timed on the same one. */
    private final WriterClock clock = WriterClock.SYSTEM;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private final Runnable onClose;
    private final LossReporter losses;
    /** The JMX view, {@code null} if the MBean server refused it. */
    private final MBeanRegistration mbean;

    /**
     * Starts a writer and its thread.
     *
     * @param onClose run once after the writer closed (the store forgets it)
     */
    public RingWriter(StoreLayout layout, StreamCatalog catalog, WriterOptions options,
                      Runnable onClose) {
        this.writerId = newWriterId();
        this.options = options;
        this.onClose = onClose;
        // The bucket writer polls (see PollingWaitStrategy) and times out every tick: to write
        // blocks that lingered long enough, seal idle buckets and run timed fsyncs.
        long tickNanos = options.blockLinger().isZero() ? TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS)
                : Math.max(options.blockLinger().toNanos(), MIN_TICK_NANOS);
        LargeEventBudget budget = new LargeEventBudget(Math.max(MIN_LARGE_BUDGET_CHARS,
                (long) LARGE_BUDGET_EVENTS * options.maxEventBytes()));
        this.ring = RingBuffer.createMultiProducer(
                () -> new RingSlot(options.maxEventBytes(), options.maxAttributes(), budget),
                options.ringSize(), new PollingWaitStrategy(tickNanos));
        this.losses = new LossReporter(writerId, counters, options.lossListener(),
                options.errorListener(), options.lossReportInterval().toNanos(),
                clock.monotonicNanos());
        BucketWriter handler = new BucketWriter(writerId, options, layout, catalog, counters, losses,
                clock, ring::getCursor);
        this.processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
        processor.setExceptionHandler(new ReportingExceptionHandler(options));
        ring.addGatingSequences(processor.getSequence());
        this.thread = new Thread(processor, "bucketlog-writer-" + writerId);
        thread.setDaemon(true);
        thread.start();
        this.mbean = registerMBean();
        if (options.closeOnJvmShutdown()) {
            shutdownHook = new Thread(this::closeAtJvmShutdown, "bucketlog-shutdown-" + writerId);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    private MBeanRegistration registerMBean() {
        String name = options.name() == null ? writerId : options.name();
        try {
            return MBeanRegistration.register("Writer", name, WriterMXBean.class,
                    unique -> new WriterBean(unique, this));
        } catch (JMException | RuntimeException e) {
            options.errorListener().onError("writer " + writerId + " is not visible in JMX: " + e, e);
            return null;
        }
    }

    /**
     * 64 random bits in base 32: unique without coordination, and safe in file names. Public for
     * the brigade, whose runs write buckets under writer ids of their own.
     */
    public static String newWriterId() {
        long v = RANDOM.nextLong();
        char[] out = new char[13];
        for (int i = 12; i >= 0; i--) {
            out[i] = BASE32[(int) (v & 31)];
            v >>>= 5;
        }
        return new String(out);
    }

    @Override
    public String writerId() {
        return writerId;
    }

    @Override
    public <A> boolean append(String stream, int priority, EventFiller<A> filler, A arg) {
        counters.appended.increment();
        if (closed.get()) {
            counters.droppedClosed.increment();
            return false;
        }
        boolean[] filling = FILLING.get();
        long seq = claim(priority, filling[0]);
        if (seq < 0) {
            (seq == CLOSED ? counters.droppedClosed : counters.droppedRingFull).increment();
            return false;
        }
        RingSlot slot = ring.get(seq);
        slot.reset(stream, priority);
        filling[0] = true;
        try {
            filler.fill(arg, slot);
            slot.afterFill();
        } catch (RuntimeException | Error e) {
            slot.cancelled = true; // counted by the bucket writer, as invalid
            throw e;
        } finally {
            filling[0] = false;
            ring.publish(seq);
        }
        return true;
    }

    /**
     * Claims a slot, or returns {@link #FULL} or {@link #CLOSED} to drop the event. A producer
     * that may not wait still parks once before it gives up (see the class comment). Waiting
     * (under {@code BLOCK}, or {@code DROP_BELOW} for important events) polls instead of using
     * the Disruptor's blocking {@code next()}, for two reasons: a writer that closes must release
     * the threads waiting on it
     * (they then drop), and a filler that appends again on the same thread (a message argument
     * whose {@code toString} logs) must never wait, because the slot it already holds is what the
     * bucket writer is waiting for.
     */
    private long claim(int priority, boolean nested) {
        RingFullPolicy policy = options.ringFullPolicy();
        boolean mayWait = !nested && (policy == RingFullPolicy.BLOCK
                || (policy == RingFullPolicy.DROP_BELOW && priority >= options.dropBelowPriority()));
        boolean backedOff = nested;
        while (true) {
            try {
                return ring.tryNext();
            } catch (InsufficientCapacityException full) {
                if (closed.get()) {
                    return CLOSED;
                }
                if (!mayWait) {
                    if (backedOff) {
                        return FULL;
                    }
                    backedOff = true;
                    LockSupport.parkNanos(DROP_BACKOFF_NANOS);
                } else {
                    LockSupport.parkNanos(WAIT_NANOS);
                }
            }
        }
    }

    /**
     * Publishes a flush marker, which makes the bucket writer write every pending block at the end
     * of its batch, and waits until the writer has passed it. Once closed, the bucket writer has
     * written everything it will: then this only reports whether it drained.
     */
    @Override
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long target = -1;
        while (!closed.get()) {
            try {
                target = ring.tryNext();
                break;
            } catch (InsufficientCapacityException full) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                LockSupport.parkNanos(WAIT_NANOS);
            }
        }
        if (target >= 0) {
            RingSlot slot = ring.get(target);
            slot.reset(null, Integer.MAX_VALUE);
            slot.flushMarker = true;
            ring.publish(target);
        } else {
            target = ring.getCursor();
        }
        while (processor.getSequence().get() < target) {
            if (!thread.isAlive() || System.nanoTime() - deadline > 0) {
                return processor.getSequence().get() >= target;
            }
            LockSupport.parkNanos(50_000);
        }
        return true;
    }

    @Override
    public WriterStats stats() {
        return counters.snapshot();
    }

    @Override
    public WriterBacklog backlog() {
        return new WriterBacklog(ring.getBufferSize(), ring.remainingCapacity(),
                counters.writeLagNanos(clock.monotonicNanos()));
    }

    @Override
    public void close() {
        close(options.shutdownTimeout());
    }

    @Override
    public void close(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Duration wait = timeout.compareTo(options.shutdownTimeout()) < 0 ? timeout : options.shutdownTimeout();
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            flush(wait);
            processor.halt(); // the bucket writer seals its buckets in onShutdown, on its thread
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
            thread.join(Math.max(left, 1000));
            if (thread.isAlive()) {
                options.errorListener().onError("writer " + writerId + " did not finish sealing "
                        + "within the shutdown timeout; unsealed buckets stay readable", null);
            }
            // Events claimed after the drain (an append racing close, or a drain that timed out)
            // were accepted but will never be written: count them as dropped, so the counters
            // never claim more than was stored.
            long unwritten = ring.getCursor() - processor.getSequence().get();
            if (unwritten > 0) {
                counters.droppedClosed.add(unwritten);
                options.errorListener().onError("writer " + writerId + " closed with " + unwritten
                        + " events still in its ring; they were not written", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or will run; it finds the writer closed
                }
            }
            losses.close();
            if (mbean != null) {
                mbean.close();
            }
            onClose.run();
        }
    }

    /**
     * The shutdown hook: leaves the close to the logging framework while it is still stopping
     * (see the class comment), and closes the writer itself only if nobody else does.
     */
    private void closeAtJvmShutdown() {
        long start = System.nanoTime();
        long timeout = options.shutdownTimeout().toNanos();
        long quiet = TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
        long lastCount = counters.appended.sum();
        long lastChange = start;
        while (!closed.get()) {
            long now = System.nanoTime();
            long count = counters.appended.sum();
            if (count != lastCount) {
                lastCount = count;
                lastChange = now;
            }
            if (now - start >= timeout || now - lastChange >= quiet) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        close();
    }

    /** Reports a bug in the bucket writer and keeps the thread alive for the next events. */
    private static final class ReportingExceptionHandler implements ExceptionHandler<RingSlot> {
        private final WriterOptions options;

        ReportingExceptionHandler(WriterOptions options) {
            this.options = options;
        }

        @Override
        public void handleEventException(Throwable ex, long sequence, RingSlot event) {
            // Only the end of a batch can get here: every event's own error is counted in onEvent.
            options.errorListener().onError("unexpected error writing event " + sequence, ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            options.errorListener().onError("bucket writer failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            options.errorListener().onError("bucket writer failed while sealing on shutdown", ex);
        }
    }
}

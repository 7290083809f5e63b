package io.bucketlog.internal.write;

import com.lmax.disruptor.EventHandler;
import io.bucketlog.Durability;
import io.bucketlog.StreamConfig;
import io.bucketlog.WriteErrorListener;
import io.bucketlog.WriterOptions;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StreamCatalog;
import io.bucketlog.internal.write.WriterCounters.Outcome;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The single consumer of a writer's ring buffer: checks each event and routes it to the bucket of
 * its (stream, window), writes what has lingered at the end of each batch, seals idle buckets and
 * runs the timed fsync. The buckets themselves, from creation to seal, are {@link DataBuckets}.
 *
 * <h2>Concurrency</h2>
 * Every method runs on the bucket-writer thread (the Disruptor's batch processor), including
 * {@link #onShutdown()}, which runs on it after the ring is halted. Nothing here is shared; the
 * counters other threads read are published through {@link WriterCounters} at the end of each
 * batch.
 *
 * <h2>Accounting</h2>
 * Every slot taken from the ring that holds an event ends in exactly one {@link Outcome}: written,
 * rejected (with its reason) or failed, including when a {@link RuntimeException} or an
 * {@link Error} such as {@link OutOfMemoryError} interrupts it; nothing is counted twice.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>An event is written only into a bucket of its own stream and window.</li>
 *   <li>At the end of every batch, every event of the batch is in a block handed to the OS, in a
 *       pending block younger than {@code blockLinger} (written by the next batch or tick after
 *       that), or counted as rejected or failed. A batch holding a flush marker writes every
 *       pending block: {@code flush()} relies on this.</li>
 * </ul>
 */
final class BucketWriter implements EventHandler<RingSlot> {
    private static final long MAINTENANCE_INTERVAL_NANOS = 100_000_000L;
    private static final long UNKNOWN_STREAM_RECHECK_NANOS = 1_000_000_000L;
    private static final int MAX_REMEMBERED_UNKNOWN_STREAMS = 1024;
    /**
     * How long after its index window ended an event is late (or the seal grace, if longer): late
     * events go to their index window's late bucket.
     */
    private static final long LATE_AFTER_NANOS = 3_600_000_000_000L;

    private final WriterOptions options;
    private final StreamCatalog catalog;
    private final WriterCounters counters;
    private final WriteErrorListener errors;
    private final WriterClock clock;
    private final Map<String, StreamState> streams = new HashMap<>();
    private StreamState lastStream;
    private final Map<String, Long> unknownStreams = new HashMap<>();
    private final OpenIndexes indexes;
    private final DataBuckets buckets;
    private final EventLimits limits;
    private final LossReporter losses;
    private final long maxSkewNanos;
    private final long graceMillis;
    private final long graceNanos;
    /** See {@link #LATE_AFTER_NANOS}. */
    private final long lateAfterNanos;
    /**
     * The sequence of the next stored event: its {@link io.bucketlog.EventId} sequence. Counted here
     * rather than taken from the ring, so stored events are numbered 0, 1, 2... without the gaps
     * that dropped and rejected events and flush markers would leave.
     */
    private long nextEventSequence;
    /** The wall clock: event time (future events, ended windows). See {@link WriterClock}. */
    private long nowMillis;
    /** The monotonic clock: every interval. */
    private long nowNanos;
    /** Set by a flush marker in the current batch: write every pending block at its end. */
    private boolean flushRequested;
    private long lastMaintenanceNanos;
    private long lastSyncNanos;
    /** How many times every open file was forced (durability interval or sync). */
    private long syncRounds;

    /** Single-writer counters, published at the end of each batch. */
    private final WriterCounters.Tally tally = new WriterCounters.Tally();
    /** Whether the event being routed has its outcome counted (or is owned by a bucket). */
    private boolean settled;
    /** The ring's last published sequence, and the last one this writer took. */
    private final LongSupplier ringCursor;
    private long lastSequence = -1;

    BucketWriter(String writerId, WriterOptions options, StoreLayout layout, StreamCatalog catalog,
                 WriterCounters counters, LossReporter losses, WriterClock clock,
                 LongSupplier ringCursor) {
        this.clock = clock;
        this.ringCursor = ringCursor;
        this.options = options;
        this.catalog = catalog;
        this.counters = counters;
        this.errors = options.errorListener();
        this.indexes = new OpenIndexes(layout, writerId, options.durability(), errors);
        this.buckets = new DataBuckets(writerId, options, layout, indexes, tally);
        this.maxSkewNanos = options.maxClockSkew().toNanos();
        this.graceMillis = options.sealGrace().toMillis();
        this.graceNanos = options.sealGrace().toNanos();
        this.lateAfterNanos = Math.max(graceNanos, LATE_AFTER_NANOS);
        this.limits = new EventLimits(options.maxEventBytes());
        this.losses = losses;
        readClocks();
        this.lastMaintenanceNanos = nowNanos;
        this.lastSyncNanos = nowNanos;
    }

    private void readClocks() {
        nowMillis = clock.wallMillis();
        nowNanos = clock.monotonicNanos();
    }

    /** How many times the writer forced all its open files to the device. */
    long syncRounds() {
        return syncRounds;
    }

    @Override
    public void onBatchStart(long batchSize, long queueDepth) {
        readClocks();
        if (counters.unwrittenSince() == WriterCounters.NONE) {
            counters.unwrittenSince(nowNanos); // this batch's events are not in the OS yet
        }
    }

    @Override
    public void onEvent(RingSlot slot, long sequence, boolean endOfBatch) {
        try {
            if (slot.flushMarker) {
                flushRequested = true;
            } else if (slot.cancelled) {
                tally.count(Outcome.REJECTED_INVALID); // the caller's filler threw; it saw why
            } else {
                settled = false;
                route(slot);
            }
        } catch (RuntimeException | Error e) {
            // A bug, a hostile CharSequence or an OutOfMemoryError in one event must cost only that
            // event, be counted once, and must not skip the end of the batch, which writes the
            // events before it.
            if (!settled) {
                tally.count(Outcome.FAILED_ERROR);
                settled = true;
            }
            errors.onError("event lost: stream '" + slot.stream + "': " + e, e);
        } finally {
            slot.release();
            if (endOfBatch) {
                lastSequence = sequence;
                endBatch();
            }
        }
    }

    @Override
    public void onTimeout(long sequence) {
        readClocks();
        buckets.writePending(false, nowNanos);
        if (nowNanos - lastMaintenanceNanos >= MAINTENANCE_INTERVAL_NANOS) {
            maintain();
        }
        publishCounters();
        publishWriteLag();
        losses.tick(nowNanos);
    }

    @Override
    public void onShutdown() {
        readClocks();
        buckets.writePending(true, nowNanos);
        for (OpenBucket b : buckets.all()) {
            buckets.seal(b);
        }
        indexes.closeAll();
        publishCounters();
        counters.unwrittenSince(WriterCounters.NONE);
    }

    private void route(RingSlot e) {
        StreamState stream = stream(e.stream);
        if (stream == null) {
            settle(Outcome.REJECTED_UNKNOWN_STREAM);
            return;
        }
        long ts = e.timestampNanos();
        if (ts == Long.MIN_VALUE) {
            settle(Outcome.REJECTED_INVALID);
            errors.onError("event rejected: stream '" + e.stream + "': no timestamp was set", null);
            return;
        }
        if (ts < 0) {
            settle(Outcome.REJECTED_INVALID);
            errors.onError("event rejected: stream '" + e.stream + "': timestamp " + ts
                    + " is before the epoch", null);
            return;
        }
        if (ts - maxSkewNanos > nowMillis * 1_000_000L) {
            settle(Outcome.REJECTED_CLOCK_SKEW);
            errors.onError("event rejected: stream '" + e.stream + "': timestamp " + ts
                    + " is more than " + options.maxClockSkew() + " in the future", null);
            return;
        }
        // Before anything is encoded: nothing refused ever reaches a block buffer.
        if (!limits.fit(e)) {
            settle(Outcome.REJECTED_TOO_LARGE);
            errors.onError("event rejected: stream '" + e.stream + "': its key and attribute names"
                    + " alone exceed maxEventBytes (" + options.maxEventBytes() + ")", null);
            return;
        }
        // An event whose index window ended more than LATE_AFTER (or the seal grace) ago goes to
        // that window's late bucket, so that events for many old windows make one file per
        // index window; more recent ones go to buckets of their own bucket window.
        boolean late = stream.indexWindowStart(ts) + stream.indexWidth
                <= nowMillis * 1_000_000L - lateAfterNanos;
        long window = late ? stream.indexWindowStart(ts) : stream.windowStart(ts);
        OpenBucket bucket = stream.last;
        if (bucket == null || bucket.windowStart != window || bucket.late != late) {
            bucket = buckets.bucketFor(stream, window, late);
            if (bucket == null) {
                settle(buckets.lastOpenFailure());
                return;
            }
            stream.last = bucket;
        }
        if (bucket.add(e, nextEventSequence, options.maxEventBytes()) < 0) {
            settle(Outcome.REJECTED_TOO_LARGE); // EventLimits' bound makes this unreachable
            errors.onError("event rejected: stream '" + e.stream + "': larger than maxEventBytes ("
                    + options.maxEventBytes() + ")", null);
            return;
        }
        settled = true; // the bucket owns the event now: writing its block counts it
        nextEventSequence++;
        if (limits.truncated) {
            tally.count(Outcome.TRUNCATED);
        }
        if (limits.sanitised) {
            tally.count(Outcome.SANITISED);
        }
        buckets.added(bucket, nowNanos);
    }

    /** Counts the outcome of the event being routed. */
    private void settle(Outcome outcome) {
        tally.count(outcome);
        settled = true;
    }

    private StreamState stream(String name) {
        StreamState s = lastStream;
        if (s != null && s.name == name) { // producers pass the same String again and again
            return s;
        }
        s = streams.get(name);
        if (s != null) {
            lastStream = s;
            return s;
        }
        Long lastCheck = unknownStreams.get(name);
        if (lastCheck != null && nowNanos - lastCheck < UNKNOWN_STREAM_RECHECK_NANOS) {
            return null;
        }
        Optional<StreamConfig> config;
        try {
            config = name == null ? Optional.empty() : catalog.find(name);
        } catch (RuntimeException e) {
            errors.onError("cannot read the configuration of stream '" + name + "'", e);
            config = Optional.empty();
        }
        if (config.isEmpty()) {
            if (unknownStreams.size() >= MAX_REMEMBERED_UNKNOWN_STREAMS) {
                unknownStreams.clear(); // a flood of bad names must not grow memory without bound
            }
            unknownStreams.put(name, nowNanos);
            errors.onError("events rejected: stream '" + name + "' does not exist; create it with"
                    + " Store.createStream first", null);
            return null;
        }
        unknownStreams.remove(name);
        s = new StreamState(name, config.get());
        streams.put(name, s);
        return s;
    }

    private void endBatch() {
        buckets.writePending(flushRequested, nowNanos);
        flushRequested = false;
        if (options.durability() == Durability.SYNC) {
            syncAll();
        }
        if (nowNanos - lastMaintenanceNanos >= MAINTENANCE_INTERVAL_NANOS) {
            maintain();
        }
        publishCounters();
        publishWriteLag();
        losses.tick(nowNanos);
    }

    /**
     * Publishes when the oldest event not yet in the OS reached this thread, once per batch or
     * tick: the oldest lingering block's start, or, if the ring holds events this thread has not
     * taken yet, the start of this batch (they arrived after it took its events), or none.
     */
    private void publishWriteLag() {
        long since = buckets.oldestPendingSince();
        if (ringCursor.getAsLong() > lastSequence
                && (since == WriterCounters.NONE || nowNanos - since < 0)) {
            since = nowNanos;
        }
        counters.unwrittenSince(since);
    }

    /**
     * Seals idle buckets and runs the timed fsync. A bucket is idle when the monotonic clock says
     * it has had no event for {@code sealGrace}; it is sealed when, in addition, its window has
     * ended by the wall clock, or it has been idle for a whole bucket width besides: a wall clock
     * set back must not keep buckets open until it catches up, and sealing a bucket whose window
     * has not ended is only an early rotation (a later event opens a new one).
     */
    private void maintain() {
        lastMaintenanceNanos = nowNanos;
        for (OpenBucket b : buckets.all()) {
            long idleNanos = nowNanos - b.lastWriteNanos;
            long windowEndMillis = (b.windowStart + b.widthNanos) / 1_000_000L;
            boolean windowEnded = nowMillis >= windowEndMillis + graceMillis;
            if (idleNanos >= graceNanos
                    && (windowEnded || idleNanos - graceNanos >= b.widthNanos)) {
                buckets.seal(b);
            }
        }
        if (options.durability() == Durability.INTERVAL
                && nowNanos - lastSyncNanos >= options.fsyncInterval().toNanos()) {
            syncAll();
        }
    }

    private void syncAll() {
        lastSyncNanos = nowNanos;
        syncRounds++;
        buckets.forEachOpenFile(this::sync);
        indexes.forEach(index -> sync(index.file()));
    }

    private void sync(AppendFile f) {
        try {
            f.sync();
        } catch (IOException e) {
            errors.onError("fsync of " + f.location() + " failed; written data may not survive a power"
                    + " loss", e);
        }
    }

    private void publishCounters() {
        counters.publish(tally);
    }
}

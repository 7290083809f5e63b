package io.bucketlog.internal.write;

import com.lmax.disruptor.EventHandler;
import io.bucketlog.Durability;
import io.bucketlog.StreamConfig;
import io.bucketlog.WriteErrorListener;
import io.bucketlog.WriterOptions;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StreamCatalog;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.write.WriterCounters.Outcome;
import io.bucketlog.spi.SpoolFullException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The single consumer of a writer's ring buffer: routes each event to the open bucket of its
 * (stream, window), writes blocks, rotates and seals buckets and keeps the index buckets current.
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
 *   <li>A data bucket is created (with its header) before its "opened" index entry, and the entry
 *       is written before any of its blocks: every written event is reachable from an index, and a
 *       crash in between leaves at most an empty bucket.</li>
 *   <li>At the end of every batch, every event of the batch is in a block handed to the OS, in a
 *       pending block younger than {@code blockLinger} (written by the next batch or tick after
 *       that), or counted as rejected or failed. A batch holding a flush marker writes every
 *       pending block: {@code flush()} relies on this.</li>
 *   <li>"sealed" is appended only after the bucket's trailer is written.</li>
 * </ul>
 */
final class BucketWriter implements EventHandler<RingSlot> {
    private static final long MAINTENANCE_INTERVAL_NANOS = 100_000_000L;
    private static final long UNKNOWN_STREAM_RECHECK_NANOS = 1_000_000_000L;
    private static final int MAX_REMEMBERED_UNKNOWN_STREAMS = 1024;
    private static final int SCRATCH_BYTES = 128 * 1024;
    /** A scratch buffer grown beyond this by a large block is replaced after use. */
    private static final int SCRATCH_RETAINED_BYTES = 4 * 1024 * 1024;
    /**
     * How long after its index window ended an event is late (or the seal grace, if longer): late
     * events go to their index window's late bucket.
     */
    private static final long LATE_AFTER_NANOS = 3_600_000_000_000L;
    /** Most parked late buckets: bounds the memory they keep (their footers' key tables). */
    private static final int MAX_PARKED = 4096;

    private final String writerId;
    private final WriterOptions options;
    private final StoreLayout layout;
    private final StreamCatalog catalog;
    private final WriterCounters counters;
    private final WriteErrorListener errors;
    private final WriterClock clock;
    private final Map<String, StreamState> streams = new HashMap<>();
    private StreamState lastStream;
    private final Map<String, Long> unknownStreams = new HashMap<>();
    private final OpenIndexes indexes;
    private final List<OpenBucket> dirty = new ArrayList<>();
    private final List<OpenBucket> openBuckets = new ArrayList<>();
    private ByteSink scratch = new ByteSink(SCRATCH_BYTES);
    private final EventLimits limits;
    private final LossReporter losses;
    /** Late buckets closed to stay within maxOpenBuckets, continued when their window gets more. */
    private final List<OpenBucket> parked = new ArrayList<>();
    private final long maxSkewNanos;
    private final long graceMillis;
    private final long graceNanos;
    /** See {@link #LATE_AFTER_NANOS}. */
    private final long lateAfterNanos;
    private long nextBucketSequence;
    /**
     * The sequence of the next stored event: its {@link io.bucketlog.EventId} sequence. Counted here
     * rather than taken from the ring, so stored events are numbered 0, 1, 2... without the gaps
     * that dropped and rejected events and flush markers would leave.
     */
    private long nextEventSequence;
    private final long lingerNanos;
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
    /** How the events of the last bucket that could not be created or reopened are counted. */
    private Outcome lastOpenFailure = Outcome.FAILED_WRITE;

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
        this.writerId = writerId;
        this.clock = clock;
        this.ringCursor = ringCursor;
        this.options = options;
        this.layout = layout;
        this.catalog = catalog;
        this.counters = counters;
        this.errors = options.errorListener();
        this.indexes = new OpenIndexes(layout, writerId, options.durability(), errors);
        this.maxSkewNanos = options.maxClockSkew().toNanos();
        this.graceMillis = options.sealGrace().toMillis();
        this.graceNanos = options.sealGrace().toNanos();
        this.lateAfterNanos = Math.max(graceNanos, LATE_AFTER_NANOS);
        this.lingerNanos = options.blockLinger().toNanos();
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
        writePending(false);
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
        writePending(true);
        for (OpenBucket b : new ArrayList<>(openBuckets)) {
            seal(b);
        }
        for (OpenBucket b : new ArrayList<>(parked)) {
            seal(b);
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
            bucket = (late ? stream.late : stream.open).get(window);
            if (bucket == null) {
                bucket = openBucket(stream, window, late);
            } else if (bucket.isParked() && !resume(bucket)) {
                bucket = null;
            }
            if (bucket == null) {
                settle(lastOpenFailure);
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
        bucket.lastWriteNanos = nowNanos;
        if (bucket.pendingCount() == 1) {
            bucket.pendingSinceNanos = nowNanos;
        }
        if (!bucket.dirty) {
            bucket.dirty = true;
            dirty.add(bucket);
        }
        if (bucket.blockFull()) {
            writeBlock(bucket);
        }
        if (!bucket.retired && bucket.full()) {
            seal(bucket);
        }
    }

    /**
     * How events lost to a failed write are counted: a full object-store spool refused them
     * whole, like a full ring (see {@link Outcome#DROPPED_SPOOL_FULL}); any other failure is a
     * write failure.
     */
    private static Outcome lossOf(Exception e) {
        return e instanceof SpoolFullException ? Outcome.DROPPED_SPOOL_FULL : Outcome.FAILED_WRITE;
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

    /**
     * Keeps the open buckets within {@code maxOpenBuckets}: the least recently written one is
     * sealed, or parked if it is a late bucket (closed, to be continued when its window gets
     * another event), so that late events spread over many windows do not make a file per event.
     * At most {@value #MAX_PARKED} are parked; beyond, the least recently written is sealed.
     */
    private void makeRoom() {
        if (openBuckets.size() < options.maxOpenBuckets()) {
            return;
        }
        OpenBucket oldest = leastRecentlyWritten(openBuckets);
        if (!oldest.late) {
            seal(oldest);
            return;
        }
        if (parked.size() >= MAX_PARKED) {
            seal(leastRecentlyWritten(parked));
        }
        writeBlock(oldest);
        if (oldest.retired) {
            return; // a write error abandoned it
        }
        if (oldest.dirty) {
            oldest.dirty = false;
            dirty.remove(oldest);
        }
        try {
            if (options.durability() != Durability.OS) {
                oldest.file().sync();
            }
            oldest.park();
        } catch (IOException e) {
            errors.onError("cannot close " + oldest.location() + " to continue it later; it stays"
                    + " readable as an open bucket", e);
            oldest.abandon();
            retire(oldest, null);
            return;
        }
        openBuckets.remove(oldest);
        parked.add(oldest);
        if (oldest.stream.last == oldest) {
            oldest.stream.last = null; // the next event for it goes through resume()
        }
        releaseIndex(oldest);
    }

    private static OpenBucket leastRecentlyWritten(List<OpenBucket> buckets) {
        OpenBucket oldest = buckets.get(0);
        for (OpenBucket b : buckets) {
            if (b.lastWriteNanos - oldest.lastWriteNanos < 0) {
                oldest = b;
            }
        }
        return oldest;
    }

    /** Continues a parked late bucket, making room for it; false if it cannot be reopened. */
    private boolean resume(OpenBucket bucket) {
        parked.remove(bucket);
        makeRoom();
        return reopen(bucket);
    }

    /**
     * Reopens a parked bucket and takes it back among the open ones (which may then hold one more
     * than {@code maxOpenBuckets}: the caller made room, or seals it at once); false, and the
     * bucket abandoned (it stays readable as an open bucket), if that fails.
     */
    private boolean reopen(OpenBucket bucket) {
        parked.remove(bucket);
        try {
            bucket.resume();
            indexes.open(bucket.stream, bucket.indexWindowStart).openBuckets++;
        } catch (IOException e) {
            lastOpenFailure = lossOf(e);
            errors.onError("cannot reopen " + bucket.location() + "; it stays readable as an open bucket"
                    + " and a new one is used for its window", e);
            bucket.abandon();
            retire(bucket, null);
            return false;
        }
        openBuckets.add(bucket);
        return true;
    }

    private OpenBucket openBucket(StreamState stream, long window, boolean late) {
        makeRoom();
        long indexWindow = stream.indexWindowStart(window);
        long seq = nextBucketSequence++;
        int volume = layout.volumeOf(seq);
        OpenBucket bucket;
        IndexAppender index;
        try {
            index = indexes.open(stream, indexWindow);
            bucket = OpenBucket.create(stream, window, seq, indexWindow, late,
                    layout.volume(volume), StoreLayout.bucketFile(stream.name, indexWindow,
                            new StoreLayout.BucketName(window, writerId, seq, late)),
                    writerId, scratch);
        } catch (IOException | RuntimeException e) {
            lastOpenFailure = lossOf(e);
            errors.onError("cannot create a bucket in stream '" + stream.name + "'; events are lost"
                    + " until this succeeds", e);
            indexes.closeIfUnused(stream.name, indexWindow);
            return null;
        }
        if (options.durability() != Durability.OS) {
            try {
                // The first sync of a new object also makes its name durable: its directories on
                // a file system (the index bucket's were made so when it was created).
                bucket.file().sync();
            } catch (IOException e) {
                errors.onError("fsync of the directory of " + bucket.location() + " failed; the bucket"
                        + " may not survive a power loss", e);
            }
        }
        try {
            tally.add(Outcome.BYTES, index.append(new IndexEntry.Opened(seq, window)));
        } catch (IOException e) {
            // Readers also find buckets by listing the window directory; the entry only speeds up
            // discovery and tailing, so the bucket is still used.
            errors.onError("cannot append to index " + index.file().location(), e);
        }
        index.openBuckets++;
        tally.count(Outcome.OPENED);
        (late ? stream.late : stream.open).put(window, bucket);
        openBuckets.add(bucket);
        return bucket;
    }

    private void writeBlock(OpenBucket bucket) {
        int pending = bucket.pendingCount();
        long before = bucket.file().size();
        try {
            tally.add(Outcome.WRITTEN, bucket.writeBlock(scratch));
            tally.add(Outcome.BYTES, bucket.file().size() - before);
        } catch (IOException | RuntimeException | Error e) {
            tally.add(e instanceof IOException io ? lossOf(io) : Outcome.FAILED_ERROR, pending);
            errors.onError("cannot write to " + bucket.location() + "; " + pending
                    + " events lost, the bucket is closed and a new one will be used", e);
            bucket.abandon();
            retire(bucket, null);
        } finally {
            if (scratch.capacity() > SCRATCH_RETAINED_BYTES) {
                scratch = new ByteSink(SCRATCH_BYTES); // a large block must not pin its buffer
            }
        }
        // No publish() here: a backend that cannot append in place uploads what was appended on
        // its own publish interval, one part per interval and object; publishing each block
        // would make a PUT per block (per batch, at a low event rate).
    }

    private void seal(OpenBucket bucket) {
        // A parked bucket is reopened only to be sealed and closed: one descriptor over the limit,
        // briefly.
        if (bucket.isParked() && !bucket.retired && !reopen(bucket)) {
            return;
        }
        // The last block first, on its own: if the footer then fails, its events are still on disk
        // and must count as written, not failed.
        writeBlock(bucket);
        if (bucket.retired) {
            return;
        }
        long before = bucket.file().size();
        IndexEntry.Sealed entry = null;
        try {
            entry = bucket.seal(scratch, options.durability() != Durability.OS);
            tally.add(Outcome.BYTES, bucket.file().size() - before);
            tally.count(Outcome.SEALED);
        } catch (IOException e) {
            errors.onError("cannot seal " + bucket.location() + "; it stays readable as an open bucket",
                    e);
            bucket.abandon();
        }
        retire(bucket, entry);
    }

    /**
     * Forgets a bucket that was sealed ({@code entry} announces it) or abandoned ({@code null}),
     * and closes its index bucket once no open data bucket of that index window is left.
     */
    private void retire(OpenBucket bucket, IndexEntry.Sealed entry) {
        if (bucket.retired) {
            return;
        }
        bucket.retired = true;
        (bucket.late ? bucket.stream.late : bucket.stream.open).remove(bucket.windowStart);
        if (bucket.stream.last == bucket) {
            bucket.stream.last = null;
        }
        if (bucket.dirty) {
            bucket.dirty = false;
            dirty.remove(bucket);
        }
        if (!openBuckets.remove(bucket)) {
            parked.remove(bucket); // a parked bucket holds no index bucket open
            return;
        }
        IndexAppender index = indexes.find(bucket.stream.name, bucket.indexWindowStart);
        if (index == null) {
            return;
        }
        if (entry != null) {
            try {
                tally.add(Outcome.BYTES, index.append(entry));
                if (options.durability() != Durability.OS) {
                    index.file().sync();
                }
            } catch (IOException e) {
                errors.onError("cannot append to index " + index.file().location()
                        + "; readers still find the sealed bucket by its footer", e);
            }
        }
        indexes.release(bucket.stream.name, bucket.indexWindowStart);
    }

    /** A bucket just parked no longer needs its index bucket open. */
    private void releaseIndex(OpenBucket bucket) {
        indexes.release(bucket.stream.name, bucket.indexWindowStart);
    }

    private void endBatch() {
        writePending(flushRequested);
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
        long since = WriterCounters.NONE;
        for (OpenBucket b : dirty) {
            if (since == WriterCounters.NONE || b.pendingSinceNanos - since < 0) {
                since = b.pendingSinceNanos;
            }
        }
        if (ringCursor.getAsLong() > lastSequence
                && (since == WriterCounters.NONE || nowNanos - since < 0)) {
            since = nowNanos;
        }
        counters.unwrittenSince(since);
    }

    /**
     * Writes the pending blocks that have lingered long enough (all of them when {@code all}): a
     * block that started filling less than {@code blockLinger} ago waits for more events, so that
     * a moderate event rate still makes full blocks rather than one block per ring batch.
     */
    private void writePending(boolean all) {
        // Backwards, because a failed write retires its bucket, removing it from this list.
        for (int i = dirty.size() - 1; i >= 0; i--) {
            OpenBucket b = dirty.get(i);
            if (!all && nowNanos - b.pendingSinceNanos < lingerNanos) {
                continue;
            }
            writeBlock(b);
            if (!b.retired) {
                b.dirty = false;
                dirty.remove(i);
            }
        }
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
        List<OpenBucket> all = new ArrayList<>(openBuckets);
        all.addAll(parked);
        for (Iterator<OpenBucket> it = all.iterator(); it.hasNext(); ) {
            OpenBucket b = it.next();
            long idleNanos = nowNanos - b.lastWriteNanos;
            long windowEndMillis = (b.windowStart + b.widthNanos) / 1_000_000L;
            boolean windowEnded = nowMillis >= windowEndMillis + graceMillis;
            if (idleNanos >= graceNanos
                    && (windowEnded || idleNanos - graceNanos >= b.widthNanos)) {
                seal(b);
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
        for (OpenBucket b : openBuckets) {
            sync(b.file());
        }
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

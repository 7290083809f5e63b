package io.bucketlog.internal.write;

import io.bucketlog.Durability;
import io.bucketlog.WriteErrorListener;
import io.bucketlog.WriterOptions;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.ZstdCodec;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.write.WriterCounters.Outcome;
import io.bucketlog.spi.SpoolFullException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A bucket writer's data buckets through their lives: created (header, then the "opened" index
 * entry), written block by block, parked and continued (late buckets, to stay within {@code
 * maxOpenBuckets}), sealed (trailer, then the "sealed" entry) or abandoned after a failed write,
 * and retired. {@link BucketWriter} routes events and keeps time; this class owns the lists of
 * open, parked and dirty buckets, and every change of them.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A data bucket is created (with its header) before its "opened" index entry, and the entry
 *       is written before any of its blocks: every written event is reachable from an index, and a
 *       crash in between leaves at most an empty bucket.</li>
 *   <li>"sealed" is appended only after the bucket's trailer is written.</li>
 *   <li>A bucket is in exactly one of the open list, the parked list, or neither (retired); a
 *       dirty bucket (pending events) is in the dirty list, once.</li>
 *   <li>An open bucket holds its index window's index bucket open ({@link OpenIndexes}); a parked
 *       one does not, and takes it again when continued.</li>
 *   <li>Every event a failed write loses is counted, once, by the write that lost it.</li>
 * </ul>
 * Confined to the bucket-writer thread, as {@link BucketWriter} is.
 */
final class DataBuckets {
    private static final int SCRATCH_BYTES = 128 * 1024;
    /** A scratch buffer grown beyond this by a large block is replaced after use. */
    private static final int SCRATCH_RETAINED_BYTES = 4 * 1024 * 1024;
    /** Most parked late buckets: bounds the memory they keep (their footers' key tables). */
    private static final int MAX_PARKED = 4096;

    private final String writerId;
    private final WriterOptions options;
    private final StoreLayout layout;
    private final WriteErrorListener errors;
    private final OpenIndexes indexes;
    private final WriterCounters.Tally tally;
    private final List<OpenBucket> openBuckets = new ArrayList<>();
    /** Late buckets closed to stay within maxOpenBuckets, continued when their window gets more. */
    private final List<OpenBucket> parked = new ArrayList<>();
    private final List<OpenBucket> dirty = new ArrayList<>();
    private ByteSink scratch = new ByteSink(SCRATCH_BYTES);
    private long nextBucketSequence;
    /** How the events of the last bucket that could not be created or reopened are counted. */
    private Outcome lastOpenFailure = Outcome.FAILED_WRITE;
    /** Whether this writer has said that a zstd stream's buckets are LZ4 here (once). */
    private boolean zstdFallbackReported;
    private final long lingerNanos;

    DataBuckets(String writerId, WriterOptions options, StoreLayout layout, OpenIndexes indexes,
                WriterCounters.Tally tally) {
        this.writerId = writerId;
        this.options = options;
        this.layout = layout;
        this.errors = options.errorListener();
        this.indexes = indexes;
        this.tally = tally;
        this.lingerNanos = options.blockLinger().toNanos();
    }

    /**
     * The bucket an event of {@code stream} for {@code window} goes to: its open bucket, its
     * parked one continued, or a new one; null if none can be had ({@link #lastOpenFailure} says
     * how its events are lost).
     */
    OpenBucket bucketFor(StreamState stream, long window, boolean late) {
        OpenBucket bucket = (late ? stream.late : stream.open).get(window);
        if (bucket == null) {
            return create(stream, window, late);
        }
        return bucket.isParked() && !resume(bucket) ? null : bucket;
    }

    /** How the events of the last bucket that could not be created or reopened are counted. */
    Outcome lastOpenFailure() {
        return lastOpenFailure;
    }

    /**
     * Records that an event was added to {@code bucket} at {@code nowNanos}: writes the block if
     * it is full, and seals the bucket if that makes it full.
     */
    void added(OpenBucket bucket, long nowNanos) {
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

    /** When the oldest pending block started filling, or {@link WriterCounters#NONE}. */
    long oldestPendingSince() {
        long since = WriterCounters.NONE;
        for (OpenBucket b : dirty) {
            if (since == WriterCounters.NONE || b.pendingSinceNanos - since < 0) {
                since = b.pendingSinceNanos;
            }
        }
        return since;
    }

    /** Every bucket not retired, open or parked: a copy, so that the caller may seal them. */
    List<OpenBucket> all() {
        List<OpenBucket> all = new ArrayList<>(openBuckets);
        all.addAll(parked);
        return all;
    }

    /** The files of the open buckets (a parked bucket's file is closed). */
    void forEachOpenFile(Consumer<AppendFile> action) {
        for (OpenBucket b : openBuckets) {
            action.accept(b.file());
        }
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
            errors.onError("cannot reopen " + bucket.location() + "; it stays readable as an open"
                    + " bucket and a new one is used for its window", e);
            bucket.abandon();
            retire(bucket, null);
            return false;
        }
        openBuckets.add(bucket);
        return true;
    }

    private OpenBucket create(StreamState stream, long window, boolean late) {
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
                errors.onError("fsync of the directory of " + bucket.location() + " failed; the"
                        + " bucket may not survive a power loss", e);
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
        if (!zstdFallbackReported && bucket.codec() != stream.config.compression()) {
            zstdFallbackReported = true;
            errors.onError(ZstdCodec.fallbackNotice(stream.name, "this writer's new buckets"),
                    null);
        }
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

    void seal(OpenBucket bucket) {
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
            errors.onError("cannot seal " + bucket.location() + "; it stays readable as an open"
                    + " bucket", e);
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

    /**
     * Writes the pending blocks that have lingered long enough (all of them when {@code all}): a
     * block that started filling less than {@code blockLinger} ago waits for more events, so that
     * a moderate event rate still makes full blocks rather than one block per ring batch.
     */
    void writePending(boolean all, long nowNanos) {
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
     * How events lost to a failed write are counted: a full object-store spool refused them
     * whole, like a full ring (see {@link Outcome#DROPPED_SPOOL_FULL}); any other failure is a
     * write failure.
     */
    private static Outcome lossOf(Exception e) {
        return e instanceof SpoolFullException ? Outcome.DROPPED_SPOOL_FULL : Outcome.FAILED_WRITE;
    }
}

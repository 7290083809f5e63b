package io.bucketlog.reader;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.internal.format.BlockDecoder;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.CorruptDataException;
import io.bucketlog.internal.index.BucketPlace;
import io.bucketlog.internal.read.BlockFrames;
import io.bucketlog.internal.read.BucketAgreement;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.store.StreamHistory;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reads the block frames of a tail's followed buckets: at each poll those a bucket has gained
 * since the last, handing their events to the tail, and once (when a merge replaces the bucket)
 * its unrecorded part. Which of those events are delivered is the tail's to decide.
 *
 * <ul>
 *   <li>Each bucket is read in file order from its last valid frame end; a torn last frame is
 *       re-read when complete. So every block is decoded, and handed to the tail, once.</li>
 *   <li>A bucket is sealed when its trailer names a footer whose CRC checks
 *       ({@link BucketFile#sealedBlocksEnd}): the last bytes of an open bucket are event data and
 *       may look like a trailer. Only then is its blocks' end final, and a bad frame before it
 *       reported as damage rather than waited for as a torn tail.</li>
 * </ul>
 * Not thread-safe: its tail's.
 */
final class FollowedBucketReader {
    /** Takes the events of one block read. */
    @FunctionalInterface
    interface BlockEvents {
        /** @param events in block order; only valid during the call */
        void block(long offset, int frameLength, List<Event> events);
    }

    private final String stream;
    private final TailDamage damage;
    private final LongSupplier wallClockNanos;
    private final List<Event> decoded = new ArrayList<>();

    /** @param wallClockNanos the time now, in epoch nanoseconds */
    FollowedBucketReader(String stream, TailDamage damage, LongSupplier wallClockNanos) {
        this.stream = stream;
        this.damage = damage;
        this.wallClockNanos = wallClockNanos;
    }

    /**
     * Reads a bucket's frames after {@code f.readEnd}, up to about {@code budget} bytes.
     *
     * @param blocks takes the events of each block read
     * @param onCut told when the read stops at the budget, short of what the bucket holds
     * @return false if the file is gone
     */
    boolean read(FollowedBucket f, long budget, StreamHistory history, BlockEvents blocks,
                 Runnable onCut) {
        return read(f, true, budget, history, blocks, onCut);
    }

    /**
     * Reads a bucket up to what it holds now without decoding it: the baseline of a tail started
     * from now, to which what exists now is not new.
     */
    void skipStored(FollowedBucket f, StreamHistory history) {
        read(f, false, Long.MAX_VALUE, history, (offset, frameLength, events) -> { }, () -> { });
    }

    private boolean read(FollowedBucket f, boolean deliver, long budget, StreamHistory history,
                         BlockEvents blocks, Runnable onCut) {
        try {
            ObjectVersion version = f.object.storage().stat(f.object.name()).orElse(null);
            if (version == null) {
                return false;
            }
            long size = version.size();
            if (size == f.seenSize) {
                return true;
            }
            f.changedAt = wallClockNanos.getAsLong();
            try (ReadableObject ch = f.object.openRead()) {
                size = ch.size();
                long sealedEnd = BucketFile.sealedBlocksEnd(ch, size);
                if (sealedEnd >= 0 && (!deliver || sealedEnd < f.readEnd)) {
                    // Nothing of it is to be delivered (the baseline of a tail started now, or a
                    // cursor already past its blocks), and nothing will be appended: done without
                    // reading its blocks.
                    f.readEnd = Math.max(f.readEnd, sealedEnd);
                    f.seenSize = size;
                    f.done = true;
                    f.deliveredWhenNoneQueued();
                    return true;
                }
                if (f.readEnd == 0) {
                    byte[] head = BucketFile.readAt(ch, 0,
                            (int) Math.min(size, BucketHeader.MAX_BYTES));
                    ByteSource in = new ByteSource(head);
                    BucketHeader header = header(in);
                    String misplaced = header == null ? null
                            : place(history).problem(f.object.name(), f.name, header);
                    if (misplaced != null) {
                        damage.misplaced(f.path, misplaced);
                        f.misplaced = true;
                        f.done = true;
                        return true;
                    }
                    String width = header == null ? null : BucketAgreement.withConfig(
                            f.object.fileName(), f.name, header, history);
                    if (width != null) { // told as a query tells it; the bucket is still read
                        damage.streamConfig(width);
                    }
                    f.readEnd = header == null ? 0 : in.position();
                    if (f.deliveredOffset == 0) {
                        f.deliveredOffset = f.readEnd;
                    }
                }
                boolean sealed = sealedEnd >= f.readEnd;
                long end = sealed ? sealedEnd : size;
                boolean cut = end - f.readEnd > budget;
                long scanEnd = cut ? f.readEnd + budget : end;
                BlockFrames.Visitor visitor = (offset, length, body, off, len) -> {
                    if (deliver) {
                        blocks.block(offset, length, decode(f, offset, body, off, len));
                    }
                };
                // Only a scan that reaches a sealed bucket's footer knows that a bad frame at its
                // end will never be completed; a scan cut by the budget ends mid-data.
                Consumer<CorruptionReport> reports = reportsFor(f);
                long validEnd = BlockFrames.scan(ch, f.path, f.readEnd, scanEnd,
                        sealed && !cut, reports, visitor);
                f.cursorOffset = -1;
                if (cut && validEnd == f.readEnd) { // one frame larger than the budget
                    validEnd = BlockFrames.scan(ch, f.path, f.readEnd, end, sealed, damage::report,
                            visitor);
                    cut = false;
                }
                if (cut) {
                    f.readEnd = validEnd;
                    onCut.run();
                } else {
                    f.seenSize = size;
                    // Damage at the end of a sealed bucket was reported by the scan; what lies
                    // between the last valid frame and the footer is never read again.
                    f.readEnd = sealed ? end : validEnd;
                    f.done = sealed;
                }
                f.deliveredWhenNoneQueued();
            }
            return true;
        } catch (NoSuchObjectException e) {
            return false;
        } catch (IOException e) {
            damage.report(new CorruptionReport(f.path, f.readEnd, "cannot read: " + e));
            return true;
        }
    }

    /**
     * Hands {@code events} the events of a bucket's unrecorded part in file order, and marks the
     * bucket recorded; nothing if it has no unrecorded part, or is gone.
     */
    void readUnrecorded(FollowedBucket f, Consumer<Event> events) {
        if (f.unrecordedEnd == 0) {
            return;
        }
        long end = f.unrecordedEnd;
        int skip = f.unrecordedSkip;
        try (ReadableObject ch = f.object.openRead()) {
            long size = ch.size();
            byte[] head = BucketFile.readAt(ch, 0, (int) Math.min(size, BucketHeader.MAX_BYTES));
            ByteSource in = new ByteSource(head);
            long blocks = header(in) == null ? 0 : in.position();
            BlockFrames.scan(ch, f.path, blocks, skip > 0 ? size : Math.min(size, end),
                    damage::report, (offset, length, body, off, len) -> {
                        if (offset > end || (offset == end && skip == 0)) {
                            return;
                        }
                        List<Event> block = decode(f, offset, body, off, len);
                        int n = offset < end ? block.size() : Math.min(skip, block.size());
                        for (int i = 0; i < n; i++) {
                            events.accept(block.get(i));
                        }
                    });
            f.unrecordedEnd = 0;
            f.unrecordedSkip = 0;
        } catch (NoSuchObjectException e) {
            // Deleted after the compactor's grace: nothing to record from.
        } catch (IOException e) {
            damage.report(new CorruptionReport(f.path, -1, "cannot read: " + e));
        }
    }

    /**
     * Where the first read of a bucket resumed from a cursor reports: bytes skipped at the
     * cursor's own offset are not known to be damage of the file (the cursor may not be this
     * bucket's, or have been edited), and are reported as what they are.
     */
    private Consumer<CorruptionReport> reportsFor(FollowedBucket f) {
        long at = f.cursorOffset;
        if (at < 0) {
            return damage::report;
        }
        return r -> damage.report(r.offset() != at ? r : new CorruptionReport(r.location(), at,
                "no block starts at offset " + at + ", where the tail's cursor resumes this bucket:"
                + " the cursor does not match the file, or the block there is damaged; "
                + r.problem()));
    }

    /** A block's events, in block order; none, and the damage reported, if it cannot be decoded. */
    private List<Event> decode(FollowedBucket f, long offset, byte[] body, int off, int len) {
        decoded.clear();
        try {
            BlockDecoder.decode(body, off, len, stream, f.name.writerId(), null, 0, Long.MAX_VALUE,
                    decoded);
        } catch (CorruptDataException e) {
            damage.report(new CorruptionReport(f.path, offset, "block: " + e.getMessage()));
            decoded.clear();
        }
        return decoded;
    }

    /**
     * A bucket's header, leaving {@code in} where its blocks start; or null if it is damaged, and
     * the blocks are looked for from 0.
     */
    private static BucketHeader header(ByteSource in) {
        try {
            return BucketHeader.readFrom(in);
        } catch (CorruptDataException e) {
            // The frame scan reports the damage if valid blocks follow; a header still being
            // written looks the same and is re-read on the next poll.
            return null;
        }
    }

    /** Where this stream's buckets must lie; the index window never changes. */
    private BucketPlace place(StreamHistory history) {
        return new BucketPlace(stream, history.indexWindowNanos());
    }
}

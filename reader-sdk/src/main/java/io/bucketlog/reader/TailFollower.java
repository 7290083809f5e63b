package io.bucketlog.reader;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.internal.format.BlockDecoder;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.CorruptDataException;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.index.BucketCatalog;
import io.bucketlog.internal.index.BucketPlace;
import io.bucketlog.internal.index.WindowBuckets;
import io.bucketlog.internal.read.BlockFrames;
import io.bucketlog.internal.read.BucketAgreement;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.read.DamageLog;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.internal.store.StreamHistory;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The polling engine behind a tail: follows every data bucket of a stream whose window ends after
 * a moving floor ({@code now - lateness}), reading each one's new block frames from where it last
 * stopped.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Each bucket is read in file order from its last valid frame end; a torn last frame is
 *       re-read when complete. So every block is decoded, and every event queued, once.</li>
 *   <li>A bucket's events are queued in record order, which is its writer's sequence order; the
 *       events found by one poll are queued sorted by (writerId, sequence).</li>
 *   <li>A bucket's delivered position moves only when {@link #take()} hands out an event, so the
 *       {@linkplain #position() position} names exactly what the consumer has received.</li>
 *   <li>A bucket is sealed when its trailer names a footer whose CRC checks
 *       ({@link BucketFile#sealedBlocksEnd}): the last bytes of an open bucket are event data and
 *       may look like a trailer. Only then is its blocks' end final, and a bad frame before it
 *       reported as damage rather than waited for as a torn tail.</li>
 *   <li>A bucket is forgotten when none of its events is queued, its window has fallen below the
 *       floor, and it is either sealed and fully read, or its size has not changed for the idle
 *       grace period (a crashed writer's bucket never seals; a damaged one may never read to its
 *       end). So the followed set, and with it the cursor, holds only the buckets of the
 *       lateness window plus recently active ones. New buckets are discovered through the
 *       {@link BucketCatalog}, window by window above the floor (a bucket is listed the moment
 *       it is created).</li>
 *   <li>No event is delivered twice across a compactor's merge. A bucket a committed
 *       "superseded" entry hides is not followed from then on (one already followed is read to
 *       its end: its events are the ones being delivered); a merged bucket is not followed if
 *       any bucket it replaces was followed, now or earlier in its index window (those events
 *       came through the originals). A merged bucket is invisible until its commit (see
 *       {@link BucketCatalog}), so there is no moment at which both are new. A bucket a cursor
 *       names that no longer exists counts as followed: it was delivered from before.</li>
 * </ul>
 * Not thread-safe: one consumer thread.
 */
final class TailFollower {
    /** Upper bound of frame bytes read by one poll, so a large backlog is read in steps. */
    private static final long POLL_BUDGET = 4L << 20;

    /** One data bucket being followed. */
    private static final class Followed {
        final StoreObject object;
        final String path;
        final StoreLayout.BucketName name;
        long readEnd;        // next frame offset to read; 0 = header not read yet
        long seenSize = -1;  // file size at the last complete read
        boolean done;        // sealed and read up to its footer, or misplaced (never read)
        boolean misplaced;   // a copy of another place's bucket: no part of the tail's position
        long changedAt;      // wall clock when its size was last seen to change
        int queued;          // events handed to the queue and not yet taken
        long deliveredOffset;
        int deliveredSkip;
        long skipAt = -1;    // on resume: records of the block at this offset already delivered
        int skipCount;
        long cursorOffset = -1; // on resume: the offset a cursor named, until a read checked it

        Followed(StoreObject object, StoreLayout.BucketName name, long now) {
            this.object = object;
            this.path = object.location();
            this.name = name;
            this.changedAt = now;
        }

        long windowEnd(StreamHistory history) {
            return name.windowEnd(history.widestBucketWidthNanos(), history.indexWindowNanos());
        }
    }

    private record Pending(Event event, Followed bucket, long blockOffset, long blockEnd,
                           int index, int blockCount) {
    }

    private static final Comparator<Pending> ARRIVAL = Comparator
            .comparing((Pending p) -> p.event().id().writerId())
            .thenComparingLong(p -> p.event().id().sequence());

    private final BucketlogReader reader;
    private final String stream;
    /** Re-read at each discovery: a redeploy may widen the buckets of a stream being tailed. */
    private StreamHistory history;
    private final String key;
    private final Cursor after;
    private final long latenessNanos;
    private final long idleGraceNanos;
    private final LongSupplier wallClockNanos;
    private final Map<String, Followed> buckets = new HashMap<>();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final List<Pending> found = new ArrayList<>();
    private final List<Event> decoded = new ArrayList<>();
    private final DamageLog damage;
    private final BucketCatalog catalog;
    /**
     * Buckets followed before and forgotten since (or named by a cursor and gone), while their
     * index window is above the floor: a merge of them must not be delivered again.
     */
    private final Map<IndexEntry.BucketRef, Long> forgotten = new HashMap<>();
    /**
     * Unsealed buckets whose header showed they ended below the floor, by location, with the end
     * of their index window: a header never changes, so each is read once, not at every discovery.
     */
    private final Map<String, Long> endedByHeader = new HashMap<>();
    private long floor;
    private boolean more;

    /**
     * @param key only this key, or null
     * @param start where to start: null for now, an event position, or a tail position
     * @param idleGraceNanos how long a bucket below the floor may stay the same size and still be
     *     followed
     * @param wallClockNanos the time now, in epoch nanoseconds (a parameter for tests)
     * @throws InvalidCursorException if {@code start} names an offset inside a bucket's header
     */
    TailFollower(BucketlogReader reader, String stream, String key, Cursor start,
                 long latenessNanos, long idleGraceNanos, LongSupplier wallClockNanos) {
        this.reader = reader;
        this.damage = new DamageLog(reader::reportCorruption);
        this.catalog = new BucketCatalog(reader.layout(), reader.readCache().indexes());
        this.stream = stream;
        this.history = reader.history(stream);
        this.key = key;
        this.latenessNanos = latenessNanos;
        this.idleGraceNanos = idleGraceNanos;
        this.wallClockNanos = wallClockNanos;
        long now = wallClockNanos.getAsLong();
        if (start == null) {
            this.after = null;
            this.floor = Math.max(0, now - latenessNanos);
            discover();
            for (Followed f : buckets.values()) { // the baseline: what exists now is not new
                read(f, false, Long.MAX_VALUE);
            }
        } else if (start.isEventPosition()) {
            this.after = start;
            this.floor = Math.min(start.timestampNanos(), Math.max(0, now - latenessNanos));
        } else {
            TailPosition p = start.tail();
            this.after = p.after();
            // A floor in the future (another machine's clock, or a forged cursor) would hide every
            // bucket until then. Lowering it further than now would be wrong the other way: the
            // cursor does not list buckets below its floor, which it has fully delivered.
            this.floor = Math.min(p.floorNanos(), Math.max(0, now));
            for (TailPosition.Bucket b : p.buckets()) {
                long firstBlock = TailPosition.firstBlockOffset(b.writerId(), stream);
                if (b.offset() != 0 && b.offset() < firstBlock) {
                    throw new InvalidCursorException("bad tail cursor: offset " + b.offset()
                            + " of bucket " + b.windowStart() + "-" + b.writerId() + "-"
                            + b.sequence() + " lies inside its header (blocks of stream " + stream
                            + " start at " + firstBlock + ")");
                }
                // A writer numbers all its buckets in one sequence, so at most one of the bucket
                // and the late bucket of this (writer, sequence) exists; the cursor need not say.
                StoreLayout.BucketName name = new StoreLayout.BucketName(b.windowStart(),
                        b.writerId(), b.sequence());
                StoreObject path = locate(name);
                if (path == null) {
                    name = new StoreLayout.BucketName(b.windowStart(), b.writerId(), b.sequence(), true);
                    path = locate(name);
                }
                if (path == null) {
                    name = new StoreLayout.BucketName(b.windowStart(), b.writerId(), b.sequence(),
                            false, true);
                    path = locate(name);
                }
                if (path == null) {
                    forget(name); // deleted since: nothing more to deliver from it
                    continue;
                }
                String file = path.fileName();
                Followed f = new Followed(path, name, now);
                f.readEnd = b.offset();
                f.deliveredOffset = b.offset();
                f.deliveredSkip = b.delivered();
                f.skipAt = b.delivered() > 0 ? b.offset() : -1;
                f.skipCount = b.delivered();
                f.cursorOffset = b.offset() > 0 ? b.offset() : -1;
                buckets.put(file, f);
            }
        }
    }

    private StoreObject locate(StoreLayout.BucketName name) {
        return catalog.locate(stream, indexWindowOf(name), name);
    }

    private long indexWindowOf(StoreLayout.BucketName name) {
        return Math.floorDiv(name.windowStart(), history.indexWindowNanos())
                * history.indexWindowNanos();
    }

    /** Remembers a bucket no longer followed, for as long as a merge of it may appear. */
    private void forget(StoreLayout.BucketName name) {
        forgotten.put(name.ref(), indexWindowOf(name) + history.indexWindowNanos());
    }

    /** The next event without taking it, polling once if none is queued; null if none. */
    Event peek() {
        if (queue.isEmpty()) {
            poll();
        }
        Pending p = queue.peek();
        return p == null ? null : p.event();
    }

    /** Whether the last poll stopped early (budget) and another should run without waiting. */
    boolean hasMore() {
        return more;
    }

    /** Takes the next queued event (call after a non-null {@link #peek()}). */
    Event take() {
        Pending p = queue.poll();
        Followed f = p.bucket();
        f.queued--;
        if (f.queued == 0) {
            f.deliveredOffset = f.readEnd;
            f.deliveredSkip = 0;
        } else if (p.index() + 1 == p.blockCount()) {
            f.deliveredOffset = p.blockEnd();
            f.deliveredSkip = 0;
        } else {
            f.deliveredOffset = p.blockOffset();
            f.deliveredSkip = p.index() + 1;
        }
        return p.event();
    }

    /** Where the consumer is: every event taken so far, nothing more. */
    TailPosition position() {
        List<TailPosition.Bucket> out = new ArrayList<>();
        for (Followed f : buckets.values()) {
            if (f.misplaced) {
                continue;
            }
            out.add(new TailPosition.Bucket(f.name.writerId(), f.name.windowStart(),
                    f.name.sequence(), f.deliveredOffset, f.deliveredSkip));
        }
        out.sort(Comparator.comparing(TailPosition.Bucket::writerId)
                .thenComparingLong(TailPosition.Bucket::sequence));
        return new TailPosition(floor, after, out);
    }

    List<CorruptionReport> corruptions() {
        return damage.reports();
    }

    /** Reads what is new in every followed bucket into the queue. */
    void poll() {
        more = false;
        discover();
        long budget = POLL_BUDGET;
        for (Iterator<Followed> it = buckets.values().iterator(); it.hasNext(); ) {
            Followed f = it.next();
            if (f.done) {
                continue;
            }
            if (budget <= 0) {
                more = true;
                break;
            }
            long before = f.readEnd;
            if (!read(f, true, budget)) {
                if (f.queued == 0) {
                    it.remove(); // deleted: nothing more will come from it
                }
                continue;
            }
            budget -= f.readEnd - before;
        }
        found.sort(ARRIVAL);
        queue.addAll(found);
        found.clear();
        long now = wallClockNanos.getAsLong();
        floor = Math.max(floor, now - latenessNanos);
        if (!more) { // with a backlog left, some buckets were not looked at: not idle
            for (Iterator<Followed> it = buckets.values().iterator(); it.hasNext(); ) {
                Followed f = it.next();
                if (f.queued == 0 && f.windowEnd(history) <= floor
                        && (f.done || now - f.changedAt > idleGraceNanos)) {
                    it.remove();
                    if (!f.misplaced) {
                        forget(f.name);
                    }
                }
            }
            forgotten.values().removeIf(indexWindowEnd -> indexWindowEnd <= floor);
            endedByHeader.values().removeIf(indexWindowEnd -> indexWindowEnd <= floor);
        }
    }

    /** Adds the buckets above the floor not followed yet, to be read from their start. */
    private void discover() {
        history = reader.history(stream);
        if (history.indexWindowProblem() != null) {
            report(new CorruptionReport(streamConfigLocation(), -1, history.indexWindowProblem()));
        }
        long indexWidth = history.indexWindowNanos();
        long bucketWidth = history.widestBucketWidthNanos();
        for (long window : catalog.existingWindows(stream, this::report)) {
            if (window + indexWidth <= floor) {
                continue;
            }
            WindowBuckets listed = catalog.window(stream, window, indexWidth, this::report);
            for (WindowBuckets.Bucket b : listed.buckets()) {
                String file = b.object().fileName();
                Followed known = buckets.get(file);
                if (known != null && known.object.equals(b.object())) {
                    continue;
                }
                StoreLayout.BucketName name = b.name();
                // By its name and the configured widths; an unsealed one only by its header's width
                // too, since a hand-edited stream.conf may give narrower widths than it has.
                if (name.windowEnd(bucketWidth, indexWidth) <= floor
                        && (b.sealed() != null || endedByHeader(b.object(), name))) {
                    continue;
                }
                // A copy in another window's directory has the name of the bucket it copies:
                // checked before the name is looked up, so that it is reported and never keeps
                // the real one out.
                if (b.misplaced() != null) {
                    report(misplacedReport(b.object().location(), b.misplaced()));
                } else if (b.superseded() || deliveredThrough(listed.replacedBy(name.ref()))) {
                    continue; // its events come, or came, through other buckets
                } else if (known == null || known.misplaced) {
                    buckets.put(file, new Followed(b.object(), name, wallClockNanos.getAsLong()));
                }
            }
        }
    }

    /** Whether any of these buckets is or was followed by this tail. */
    private boolean deliveredThrough(List<IndexEntry.BucketRef> replaced) {
        if (replaced.isEmpty()) {
            return false;
        }
        Set<IndexEntry.BucketRef> followed = new HashSet<>();
        for (Followed f : buckets.values()) {
            if (!f.misplaced) {
                followed.add(f.name.ref());
            }
        }
        for (IndexEntry.BucketRef r : replaced) {
            if (followed.contains(r) || forgotten.containsKey(r)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads a bucket's frames after {@code f.readEnd}, queueing matching events if {@code deliver}.
     *
     * @return false if the file is gone
     */
    private boolean read(Followed f, boolean deliver, long budget) {
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
                    if (f.queued == 0) {
                        f.deliveredOffset = f.readEnd;
                        f.deliveredSkip = 0;
                    }
                    return true;
                }
                if (f.readEnd == 0) {
                    byte[] head = BucketFile.readAt(ch, 0, (int) Math.min(size, BucketHeader.MAX_BYTES));
                    ByteSource in = new ByteSource(head);
                    BucketHeader header = header(in);
                    String misplaced = header == null ? null
                            : place().problem(f.object.name(), f.name, header);
                    if (misplaced != null) {
                        report(misplacedReport(f.path, misplaced));
                        f.misplaced = true;
                        f.done = true;
                        return true;
                    }
                    String width = header == null ? null
                            : BucketAgreement.withConfig(f.object.fileName(), f.name, header, history);
                    if (width != null) { // told as a query tells it; the bucket is still read
                        report(new CorruptionReport(streamConfigLocation(), -1, width));
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
                // Only a scan that reaches a sealed bucket's footer knows that a bad frame at its
                // end will never be completed; a scan cut by the budget ends mid-data.
                Consumer<CorruptionReport> reports = reportsFor(f);
                long validEnd = BlockFrames.scan(ch, f.path, f.readEnd, scanEnd, sealed && !cut,
                        reports, (offset, length, body, off, len) -> block(f, deliver, offset,
                                length, body, off, len));
                f.cursorOffset = -1;
                if (cut && validEnd == f.readEnd) { // one frame larger than the budget
                    validEnd = BlockFrames.scan(ch, f.path, f.readEnd, end, sealed, this::report,
                            (offset, length, body, off, len) -> block(f, deliver, offset, length,
                                    body, off, len));
                    cut = false;
                }
                if (cut) {
                    f.readEnd = validEnd;
                    more = true;
                } else {
                    f.seenSize = size;
                    // Damage at the end of a sealed bucket was reported by the scan; what lies
                    // between the last valid frame and the footer is never read again.
                    f.readEnd = sealed ? end : validEnd;
                    f.done = sealed;
                }
                if (f.queued == 0) {
                    f.deliveredOffset = f.readEnd;
                    f.deliveredSkip = 0;
                }
            }
            return true;
        } catch (NoSuchObjectException e) {
            return false;
        } catch (IOException e) {
            report(new CorruptionReport(f.path, f.readEnd, "cannot read: " + e));
            return true;
        }
    }

    /**
     * Where the first read of a bucket resumed from a cursor reports: bytes skipped at the
     * cursor's own offset are not known to be damage of the file (the cursor may not be this
     * bucket's, or have been edited), and are reported as what they are.
     */
    private Consumer<CorruptionReport> reportsFor(Followed f) {
        long at = f.cursorOffset;
        if (at < 0) {
            return this::report;
        }
        return r -> report(r.offset() != at ? r : new CorruptionReport(r.location(), at,
                "no block starts at offset " + at + ", where the tail's cursor resumes this bucket:"
                + " the cursor does not match the file, or the block there is damaged; "
                + r.problem()));
    }

    private void block(Followed f, boolean deliver, long offset, int length, byte[] body, int off,
                       int len) {
        if (!deliver) {
            return;
        }
        decoded.clear();
        try {
            BlockDecoder.decode(body, off, len, stream, f.name.writerId(), null, 0, Long.MAX_VALUE,
                    decoded);
        } catch (CorruptDataException e) {
            report(new CorruptionReport(f.path, offset, "block: " + e.getMessage()));
            return;
        }
        int skip = offset == f.skipAt ? f.skipCount : 0;
        for (int i = skip; i < decoded.size(); i++) {
            Event e = decoded.get(i);
            if (key != null && !key.equals(e.key())) {
                continue;
            }
            if (after != null && after.compareEvent(e) <= 0) {
                continue;
            }
            found.add(new Pending(e, f, offset, offset + length, i, decoded.size()));
            f.queued++;
        }
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
    private BucketPlace place() {
        return new BucketPlace(stream, history.indexWindowNanos());
    }

    /** Reported at the copy, offset -1, as a query reports it. */
    private static CorruptionReport misplacedReport(String path, String problem) {
        return new CorruptionReport(path, -1, "a misplaced bucket, not read: " + problem);
    }

    private boolean endedByHeader(StoreObject object, StoreLayout.BucketName name) {
        if (endedByHeader.containsKey(object.location())) {
            return true;
        }
        if (!BucketAgreement.unsealedEndsBy(object, name, floor, history, streamConfigLocation(),
                this::report)) {
            return false;
        }
        endedByHeader.put(object.location(), indexWindowOf(name) + history.indexWindowNanos());
        return true;
    }

    private String streamConfigLocation() {
        return catalog.layout().volume(0).locationOf(StoreLayout.streamConfig(stream));
    }

    /** An idle tail meets the same damage at every poll: each place is reported once. */

    private void report(CorruptionReport r) {
        damage.report(r);
    }

    /** The wall clock in epoch nanoseconds, with the millisecond precision it has everywhere. */
    static long systemNowNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }
}

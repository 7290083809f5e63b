package io.bucketlog.reader;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.internal.format.BlockDecoder;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.CorruptDataException;
import io.bucketlog.internal.index.BucketCatalog;
import io.bucketlog.internal.index.BucketPlace;
import io.bucketlog.internal.index.WindowBuckets;
import io.bucketlog.internal.read.BlockFrames;
import io.bucketlog.internal.read.BucketAgreement;
import io.bucketlog.internal.read.BucketFile;
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
 *   <li>A bucket's events are queued in record order, which is its writer's sequence order (a
 *       merged bucket's: key, time); the events found by one poll are queued sorted by
 *       (writerId, sequence), those of merged buckets after them in record order.</li>
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
 *   <li>No event is delivered twice, from whichever bucket it is read: every event read is
 *       checked against the {@link DeliveredIds} of the events taken in its index window and
 *       against those queued, and added to the set when it is taken: so the set holds exactly
 *       what the consumer received, which is what a cursor carries.</li>
 *   <li>The tail switches to a compactor's merge at its commit. A merged bucket is invisible
 *       until then (see {@link BucketCatalog}). A followed bucket that a committed "superseded"
 *       entry hides is not read any further (its inputs may be deleted once the compactor's grace
 *       has passed, at any moment after), and its merge is followed, read from its start and
 *       delivering only what the set does not hold: so neither two merges committed over the
 *       same inputs (two compactors), nor a merge of a merge, nor a merge of buckets the tail
 *       never saw (made and merged between two polls) is delivered twice or missed. A merged
 *       bucket is followed when its window (by its header, not its name) ends after the floor, or
 *       when it replaces one of the {@link LeftBuckets}; it delivers only events whose bucket
 *       window ended after the floor when it was first followed, or of a left bucket's writer in
 *       its index window, since a roll-up also holds older windows that were never the tail's.</li>
 *   <li>What a tail started from now finds stored is not delivered, but it is not in the set
 *       either (decoding it all would make a start read every bucket of the lateness window): it
 *       is remembered as each bucket's unrecorded part, and decoded into the set when a merge
 *       replaces the bucket, before the merge is read. If the bucket was deleted before the tail
 *       saw the commit (it did not poll for longer than the compactor's grace), its stored events
 *       can come once from the merge. A {@code t1} cursor (made before the set existed) gives
 *       only unrecorded parts: a merge of its buckets deleted before the resumed tail sees it can
 *       deliver again what it had delivered.</li>
 * </ul>
 * Not thread-safe: one consumer thread.
 */
final class TailFollower {
    /** Upper bound of frame bytes read by one poll, so a large backlog is read in steps. */
    private static final long POLL_BUDGET = 4L << 20;

    private record Pending(Event event, FollowedBucket bucket, long blockOffset, long blockEnd,
                           int index, int blockCount) {
    }

    private static final Comparator<Pending> BY_ID = Comparator
            .comparing((Pending p) -> p.event().id().writerId())
            .thenComparingLong(p -> p.event().id().sequence());
    /**
     * Writers' buckets by id, then merged buckets' events in their block order (key, time): each
     * bucket's events are taken in its block order, which its delivered position relies on. A
     * stable sort, so that two merged events compare equal.
     */
    private static final Comparator<Pending> ARRIVAL = (a, b) -> {
        boolean am = a.bucket().name.merged();
        boolean bm = b.bucket().name.merged();
        if (am || bm) {
            return Boolean.compare(am, bm);
        }
        return BY_ID.compare(a, b);
    };

    private final BucketlogReader reader;
    private final String stream;
    /** Re-read at each discovery: a redeploy may widen the buckets of a stream being tailed. */
    private StreamHistory history;
    private final String key;
    private final Cursor after;
    private final long latenessNanos;
    private final long idleGraceNanos;
    private final LongSupplier wallClockNanos;
    private final Map<String, FollowedBucket> buckets = new HashMap<>();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final List<Pending> found = new ArrayList<>();
    private final List<Event> decoded = new ArrayList<>();
    private final TailDamage damage;
    private final BucketCatalog catalog;
    /** What the consumer has taken, in the index windows the tail follows. */
    private final DeliveredIds delivered;
    /** Events found and not taken yet: not in {@link #delivered} until then. */
    private final Set<EventId> queuedIds = new HashSet<>();
    private final LeftBuckets left = new LeftBuckets();
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
        this.catalog = new BucketCatalog(reader.layout(), reader.readCache().indexes());
        this.damage = new TailDamage(reader::reportCorruption, catalog.layout(), stream);
        this.stream = stream;
        this.history = reader.history(stream);
        this.key = key;
        this.latenessNanos = latenessNanos;
        this.idleGraceNanos = idleGraceNanos;
        this.wallClockNanos = wallClockNanos;
        long now = wallClockNanos.getAsLong();
        if (start == null) {
            this.after = null;
            this.delivered = new DeliveredIds();
            this.floor = Math.max(0, now - latenessNanos);
            discover();
            for (FollowedBucket f : buckets.values()) { // the baseline: what exists now is not new
                read(f, false, Long.MAX_VALUE);
                f.unrecordedEnd = f.misplaced ? 0 : f.readEnd;
            }
        } else if (start.isEventPosition()) {
            this.after = start;
            this.delivered = new DeliveredIds();
            this.floor = Math.min(start.timestampNanos(), Math.max(0, now - latenessNanos));
        } else {
            TailPosition p = start.tail();
            this.after = p.after();
            this.delivered = p.delivered().copy(); // the cursor may start other tails
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
                if (path == null) { // deleted since: a merge of it may hold the rest
                    left.add(name, b.offset(), b.delivered(), b.recorded(), now);
                    continue;
                }
                String file = path.fileName();
                FollowedBucket f = new FollowedBucket(path, name, now);
                f.readEnd = b.offset();
                f.deliveredOffset = b.offset();
                f.deliveredSkip = b.delivered();
                f.skipAt = b.delivered() > 0 ? b.offset() : -1;
                f.skipCount = b.delivered();
                f.cursorOffset = b.offset() > 0 ? b.offset() : -1;
                f.scopeFloor = name.merged() ? floor : -1;
                if (!b.recorded() && b.offset() > 0) {
                    f.unrecordedEnd = b.offset();
                    f.unrecordedSkip = b.delivered();
                }
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

    private long indexWindowOf(long timestampNanos) {
        return Math.floorDiv(timestampNanos, history.indexWindowNanos()) * history.indexWindowNanos();
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
        queuedIds.remove(p.event().id());
        delivered.add(indexWindowOf(p.event().timestampNanos()), p.event().id());
        FollowedBucket f = p.bucket();
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
        for (FollowedBucket f : buckets.values()) {
            if (f.misplaced) {
                continue;
            }
            out.add(new TailPosition.Bucket(f.name.writerId(), f.name.windowStart(),
                    f.name.sequence(), f.deliveredOffset, f.deliveredSkip, f.unrecordedEnd == 0));
        }
        left.positions(out);
        out.sort(Comparator.comparing(TailPosition.Bucket::writerId)
                .thenComparingLong(TailPosition.Bucket::sequence));
        return new TailPosition(floor, after, out, delivered.copy());
    }

    List<CorruptionReport> corruptions() {
        return damage.reports();
    }

    /** Reads what is new in every followed bucket into the queue. */
    void poll() {
        more = false;
        discover();
        long budget = POLL_BUDGET;
        for (Iterator<FollowedBucket> it = buckets.values().iterator(); it.hasNext(); ) {
            FollowedBucket f = it.next();
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
                    it.remove(); // deleted: nothing more will come from it, but from a merge
                    leave(f);
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
            for (Iterator<FollowedBucket> it = buckets.values().iterator(); it.hasNext(); ) {
                FollowedBucket f = it.next();
                if (f.queued == 0 && f.windowEnd(history) <= floor
                        && (f.done || now - f.changedAt > idleGraceNanos)) {
                    it.remove();
                }
            }
            long indexWidth = history.indexWindowNanos();
            left.prune(floor, now, idleGraceNanos, indexWidth);
            Set<Long> inUse = windowsInUse();
            delivered.retain(w -> w + indexWidth > floor || inUse.contains(w));
            endedByHeader.values().removeIf(indexWindowEnd -> indexWindowEnd <= floor);
        }
    }

    /**
     * Adds the buckets above the floor not followed yet, to be read from their start, and stops
     * following those a commit replaced.
     */
    private void discover() {
        history = reader.history(stream);
        if (history.indexWindowProblem() != null) {
            damage.streamConfig(history.indexWindowProblem());
        }
        long indexWidth = history.indexWindowNanos();
        long bucketWidth = history.widestBucketWidthNanos();
        Set<Long> inUse = windowsInUse();
        WindowBuckets rollUps = null; // listed once a round, for every window it visits
        for (long window : catalog.existingWindows(stream, damage::report)) {
            if (window + indexWidth <= floor && !inUse.contains(window)) {
                continue; // but a bucket still followed there may yet be merged
            }
            if (rollUps == null) {
                rollUps = catalog.rollUps(stream, indexWidth, damage::report);
            }
            WindowBuckets listed = catalog.window(stream, window, indexWidth, rollUps,
                    damage::report);
            // First the switches, so that a merge listed before the bucket it replaces still
            // counts that bucket as left.
            for (WindowBuckets.Bucket b : listed.buckets()) {
                FollowedBucket known = buckets.get(b.object().fileName());
                if (b.superseded() && b.misplaced() == null && known != null && !known.misplaced
                        && known.object.equals(b.object())) {
                    buckets.remove(b.object().fileName());
                    record(known);
                    leave(known);
                }
            }
            for (WindowBuckets.Bucket b : listed.buckets()) {
                String file = b.object().fileName();
                FollowedBucket known = buckets.get(file);
                if (known != null && known.object.equals(b.object())) {
                    continue;
                }
                StoreLayout.BucketName name = b.name();
                boolean leftBehind = name.merged() && left.anyOf(listed.replacedBy(name.ref()));
                // By its name and the configured widths; an unsealed one only by its header's width
                // too, since a hand-edited stream.conf may give narrower widths than it has.
                if (!leftBehind && name.windowEnd(bucketWidth, indexWidth) <= floor
                        && (b.sealed() != null || endedByHeader(b.object(), name))) {
                    continue;
                }
                // A copy in another window's directory has the name of the bucket it copies:
                // checked before the name is looked up, so that it is reported and never keeps
                // the real one out.
                if (b.misplaced() != null) {
                    damage.misplaced(b.object().location(), b.misplaced());
                } else if (b.superseded()) {
                    continue; // its events come through its replacement
                } else if (name.merged() && !leftBehind && mergeEndsBy(b.object(), name)) {
                    continue; // its name gives it the whole index window; its header says
                } else if (known == null || known.misplaced) {
                    FollowedBucket f = new FollowedBucket(b.object(), name,
                            wallClockNanos.getAsLong());
                    f.scopeFloor = name.merged() ? floor : -1;
                    buckets.put(file, f);
                    left.remove(name.ref());
                }
            }
        }
    }

    /** The index windows of the buckets followed, or left before their end. */
    private Set<Long> windowsInUse() {
        Set<Long> inUse = new HashSet<>();
        buckets.values().forEach(f -> inUse.add(indexWindowOf(f.name)));
        left.indexWindows(inUse, history.indexWindowNanos());
        return inUse;
    }

    /** Remembers a bucket no longer followed if it was not read to its end. */
    private void leave(FollowedBucket f) {
        if (!f.done && !f.misplaced) {
            left.add(f.name, f.deliveredOffset, f.deliveredSkip, f.unrecordedEnd == 0,
                    wallClockNanos.getAsLong());
        }
    }

    /**
     * Puts a bucket's unrecorded part into the delivered set, before a merge of it is read, if it
     * still exists (see the class comment for when it does not).
     */
    private void record(FollowedBucket f) {
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
                        List<Event> events = decode(f, offset, body, off, len);
                        int n = offset < end ? events.size() : Math.min(skip, events.size());
                        for (int i = 0; i < n; i++) {
                            Event e = events.get(i);
                            if (wanted(e)) {
                                delivered.add(indexWindowOf(e.timestampNanos()), e.id());
                            }
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

    /** Whether a merged bucket's window, by its header, ends at or before the floor. */
    private boolean mergeEndsBy(StoreObject object, StoreLayout.BucketName name) {
        if (endedByHeader.containsKey(object.location())) {
            return true;
        }
        try {
            BucketHeader header = BucketFile.readHeader(object);
            if (header == null || name.windowStart() + header.windowWidth() > floor) {
                return false; // a damaged header is reported when it is read
            }
        } catch (NoSuchObjectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
        endedByHeader.put(object.location(), indexWindowOf(name) + history.indexWindowNanos());
        return true;
    }

    /**
     * Reads a bucket's frames after {@code f.readEnd}, queueing matching events if {@code deliver}.
     *
     * @return false if the file is gone
     */
    private boolean read(FollowedBucket f, boolean deliver, long budget) {
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
                        damage.misplaced(f.path, misplaced);
                        f.misplaced = true;
                        f.done = true;
                        return true;
                    }
                    String width = header == null ? null
                            : BucketAgreement.withConfig(f.object.fileName(), f.name, header, history);
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
                // Only a scan that reaches a sealed bucket's footer knows that a bad frame at its
                // end will never be completed; a scan cut by the budget ends mid-data.
                Consumer<CorruptionReport> reports = reportsFor(f);
                long validEnd = BlockFrames.scan(ch, f.path, f.readEnd, scanEnd, sealed && !cut,
                        reports, (offset, length, body, off, len) -> block(f, deliver, offset,
                                length, body, off, len));
                f.cursorOffset = -1;
                if (cut && validEnd == f.readEnd) { // one frame larger than the budget
                    validEnd = BlockFrames.scan(ch, f.path, f.readEnd, end, sealed, damage::report,
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
            damage.report(new CorruptionReport(f.path, f.readEnd, "cannot read: " + e));
            return true;
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

    private void block(FollowedBucket f, boolean deliver, long offset, int length, byte[] body,
                       int off, int len) {
        if (!deliver) {
            return;
        }
        List<Event> events = decode(f, offset, body, off, len);
        int skip = offset == f.skipAt ? f.skipCount : 0;
        for (int i = skip; i < events.size(); i++) {
            Event e = events.get(i);
            if (!wanted(e) || (f.scopeFloor >= 0 && !inScope(f, e))
                    || delivered.contains(indexWindowOf(e.timestampNanos()), e.id())
                    || !queuedIds.add(e.id())) {
                continue;
            }
            found.add(new Pending(e, f, offset, offset + length, i, events.size()));
            f.queued++;
        }
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

    /** Whether the tail delivers this event at all: its key, and after its start position. */
    private boolean wanted(Event e) {
        return (key == null || key.equals(e.key())) && (after == null || after.compareEvent(e) > 0);
    }

    /**
     * Whether an event of a merged bucket is one this tail follows: its bucket window ended after
     * the floor when the merge was first followed, or its writer has a bucket in the index window
     * that the tail left before its end (the rest of a late bucket may lie in any of its windows).
     */
    private boolean inScope(FollowedBucket merged, Event e) {
        long width = history.widestBucketWidthNanos();
        if (Math.floorDiv(e.timestampNanos(), width) * width + width > merged.scopeFloor) {
            return true;
        }
        return left.ofWriterIn(e.id().writerId(), indexWindowOf(e.timestampNanos()),
                history.indexWindowNanos());
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

    private boolean endedByHeader(StoreObject object, StoreLayout.BucketName name) {
        if (endedByHeader.containsKey(object.location())) {
            return true;
        }
        if (!BucketAgreement.unsealedEndsBy(object, name, floor, history,
                damage.streamConfigLocation(), damage::report)) {
            return false;
        }
        endedByHeader.put(object.location(), indexWindowOf(name) + history.indexWindowNanos());
        return true;
    }

    /** The wall clock in epoch nanoseconds, with the millisecond precision it has everywhere. */
    static long systemNowNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }
}

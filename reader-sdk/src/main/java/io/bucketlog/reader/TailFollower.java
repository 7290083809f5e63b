package io.bucketlog.reader;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.index.BucketCatalog;
import io.bucketlog.internal.index.WindowBuckets;
import io.bucketlog.internal.read.BucketAgreement;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.internal.store.StreamHistory;
import io.bucketlog.spi.NoSuchObjectException;
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
import java.util.function.LongSupplier;

/**
 * The polling engine behind a tail: follows every data bucket of a stream whose window ends after
 * a moving floor ({@code now - lateness}), reading each one's new block frames from where it last
 * stopped ({@link FollowedBucketReader}).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A bucket's events are queued in record order, which is its writer's sequence order (a
 *       merged bucket's: key, time); the events found by one poll are queued sorted by
 *       (writerId, sequence), those of merged buckets after them in record order.</li>
 *   <li>A bucket's delivered position moves only when {@link #take()} hands out an event, so the
 *       {@linkplain #position() position} names exactly what the consumer has received.</li>
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
    private final TailDamage damage;
    private final FollowedBucketReader bucketReader;
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
        this.bucketReader = new FollowedBucketReader(stream, damage, wallClockNanos);
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
                bucketReader.skipStored(f, history);
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
            if (!bucketReader.read(f, budget, history,
                    (offset, length, events) -> block(f, offset, length, events),
                    () -> more = true)) {
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
        bucketReader.readUnrecorded(f, e -> {
            if (wanted(e)) {
                delivered.add(indexWindowOf(e.timestampNanos()), e.id());
            }
        });
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

    private void block(FollowedBucket f, long offset, int length, List<Event> events) {
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

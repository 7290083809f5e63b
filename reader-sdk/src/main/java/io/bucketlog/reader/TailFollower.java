package io.bucketlog.reader;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.internal.index.BucketCatalog;
import io.bucketlog.internal.store.StreamHistory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The polling engine behind a tail: follows every data bucket of a stream whose window ends after
 * a moving floor ({@code now - lateness}), the {@link FollowedBuckets}, reading each one's new
 * block frames from where it last stopped with a {@link FollowedBucketReader}.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A bucket's events are queued in record order, which is its writer's sequence order (a
 *       merged bucket's: key, time); the events found by one poll are queued sorted by
 *       (writerId, sequence), those of merged buckets after them in record order.</li>
 *   <li>A bucket's delivered position moves when {@link #take()} hands out an event, and to its
 *       read end when none of its events is queued (what was read and not queued is not to be
 *       delivered: not wanted, delivered or queued already, or in a block that does not decode),
 *       so the {@linkplain #position() position} names exactly what the consumer has received.
 *       </li>
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
    private final FollowedBuckets followed;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final List<Pending> found = new ArrayList<>();
    private final TailDamage damage;
    private final FollowedBucketReader bucketReader;
    /** What the consumer has taken, in the index windows the tail follows. */
    private final DeliveredIds delivered;
    /** Events found and not taken yet: not in {@link #delivered} until then. */
    private final Set<EventId> queuedIds = new HashSet<>();
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
        BucketCatalog catalog = new BucketCatalog(reader.layout(), reader.readCache().indexes());
        this.damage = new TailDamage(reader::reportCorruption, catalog.layout(), stream);
        this.bucketReader = new FollowedBucketReader(stream, damage, wallClockNanos);
        this.followed = new FollowedBuckets(catalog, stream, damage, wallClockNanos);
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
            for (FollowedBucket f : followed) { // the baseline: what exists now is not new
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
            followed.resume(p, history, floor, now);
        }
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
        delivered.add(history.indexWindowOf(p.event().timestampNanos()), p.event().id());
        FollowedBucket f = p.bucket();
        f.queued--;
        if (f.queued == 0) {
            f.deliveredWhenNoneQueued();
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
        followed.positions(out);
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
        for (Iterator<FollowedBucket> it = followed.iterator(); it.hasNext(); ) {
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
                    followed.leave(f);
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
            followed.forget(history, floor, now, idleGraceNanos);
            long indexWidth = history.indexWindowNanos();
            Set<Long> inUse = followed.windowsInUse(history);
            delivered.retain(w -> w + indexWidth > floor || inUse.contains(w));
        }
    }

    private void discover() {
        history = reader.history(stream);
        if (history.indexWindowProblem() != null) {
            damage.streamConfig(history.indexWindowProblem());
        }
        followed.discover(history, floor, this::record);
    }

    /**
     * Puts a bucket's unrecorded part into the delivered set, before a merge of it is read, if it
     * still exists (see the class comment for when it does not).
     */
    private void record(FollowedBucket f) {
        bucketReader.readUnrecorded(f, e -> {
            if (wanted(e)) {
                delivered.add(history.indexWindowOf(e.timestampNanos()), e.id());
            }
        });
    }

    private void block(FollowedBucket f, long offset, int length, List<Event> events) {
        int skip = offset == f.skipAt ? f.skipCount : 0;
        for (int i = skip; i < events.size(); i++) {
            Event e = events.get(i);
            if (!wanted(e) || (f.scopeFloor >= 0 && !followed.inScope(f, e, history))
                    || delivered.contains(history.indexWindowOf(e.timestampNanos()), e.id())
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

    /** The wall clock in epoch nanoseconds, with the millisecond precision it has everywhere. */
    static long systemNowNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }
}

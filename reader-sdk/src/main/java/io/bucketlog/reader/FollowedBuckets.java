package io.bucketlog.reader;

import io.bucketlog.Event;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The data buckets a tail follows, by file name, and the {@link LeftBuckets} it stopped following
 * before their end.
 *
 * <p>A bucket is forgotten when none of its events is queued, its window has fallen below the
 * floor, and it is either sealed and fully read, or its size has not changed for the idle grace
 * period (a crashed writer's bucket never seals; a damaged one may never read to its end). So the
 * followed set, and with it the cursor, holds only the buckets of the lateness window plus
 * recently active ones. New buckets are discovered through the {@link BucketCatalog}, window by
 * window above the floor (a bucket is listed the moment it is created). Not thread-safe: its
 * tail's.
 */
final class FollowedBuckets implements Iterable<FollowedBucket> {
    private final BucketCatalog catalog;
    private final String stream;
    private final TailDamage damage;
    private final LongSupplier wallClockNanos;
    private final Map<String, FollowedBucket> buckets = new HashMap<>();
    private final LeftBuckets left = new LeftBuckets();
    /**
     * Unsealed buckets whose header showed they ended below the floor, by location, with the end
     * of their index window: a header never changes, so each is read once, not at every discovery.
     */
    private final Map<String, Long> endedByHeader = new HashMap<>();

    /** @param wallClockNanos the time now, in epoch nanoseconds */
    FollowedBuckets(BucketCatalog catalog, String stream, TailDamage damage,
                    LongSupplier wallClockNanos) {
        this.catalog = catalog;
        this.stream = stream;
        this.damage = damage;
        this.wallClockNanos = wallClockNanos;
    }

    /** Removing a bucket through it stops following the bucket without leaving it. */
    @Override
    public Iterator<FollowedBucket> iterator() {
        return buckets.values().iterator();
    }

    /**
     * Follows the buckets a tail cursor names from where it stopped, or remembers them as left if
     * they are gone.
     *
     * @param floor the resumed tail's floor
     * @throws InvalidCursorException if the cursor names an offset inside a bucket's header
     */
    void resume(TailPosition p, StreamHistory history, long floor, long now) {
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
            StoreObject path = locate(name, history);
            if (path == null) {
                name = new StoreLayout.BucketName(b.windowStart(), b.writerId(), b.sequence(),
                        true);
                path = locate(name, history);
            }
            if (path == null) {
                name = new StoreLayout.BucketName(b.windowStart(), b.writerId(), b.sequence(),
                        false, true);
                path = locate(name, history);
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

    private StoreObject locate(StoreLayout.BucketName name, StreamHistory history) {
        return catalog.locate(stream, history.indexWindowOf(name.windowStart()), name);
    }

    /**
     * Adds the buckets above the floor not followed yet, to be read from their start, and stops
     * following those a commit replaced.
     *
     * @param record puts a bucket's unrecorded part into the delivered set: told of each bucket
     *     a commit replaced, before it is left
     */
    void discover(StreamHistory history, long floor, Consumer<FollowedBucket> record) {
        long indexWidth = history.indexWindowNanos();
        long bucketWidth = history.widestBucketWidthNanos();
        Set<Long> inUse = windowsInUse(history);
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
                    record.accept(known);
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
                // By its name and the configured widths; an unsealed one only by its header's
                // width too, since a hand-edited stream.conf may give narrower widths than it has.
                if (!leftBehind && name.windowEnd(bucketWidth, indexWidth) <= floor
                        && (b.sealed() != null
                            || endedByHeader(b.object(), name, history, floor))) {
                    continue;
                }
                // A copy in another window's directory has the name of the bucket it copies:
                // checked before the name is looked up, so that it is reported and never keeps
                // the real one out.
                if (b.misplaced() != null) {
                    damage.misplaced(b.object().location(), b.misplaced());
                } else if (b.superseded()) {
                    continue; // its events come through its replacement
                } else if (name.merged() && !leftBehind
                        && mergeEndsBy(b.object(), name, history, floor)) {
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

    /** Whether a merged bucket's window, by its header, ends at or before the floor. */
    private boolean mergeEndsBy(StoreObject object, StoreLayout.BucketName name,
                                StreamHistory history, long floor) {
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
        endedByHeader.put(object.location(), indexWindowEnd(name, history));
        return true;
    }

    private boolean endedByHeader(StoreObject object, StoreLayout.BucketName name,
                                  StreamHistory history, long floor) {
        if (endedByHeader.containsKey(object.location())) {
            return true;
        }
        if (!BucketAgreement.unsealedEndsBy(object, name, floor, history,
                damage.streamConfigLocation(), damage::report)) {
            return false;
        }
        endedByHeader.put(object.location(), indexWindowEnd(name, history));
        return true;
    }

    /** Remembers a bucket no longer followed if it was not read to its end. */
    void leave(FollowedBucket f) {
        if (!f.done && !f.misplaced) {
            left.add(f.name, f.deliveredOffset, f.deliveredSkip, f.unrecordedEnd == 0,
                    wallClockNanos.getAsLong());
        }
    }

    /**
     * Stops following the buckets the floor and the idle grace let go of (see the class comment),
     * and forgets the left buckets and the headers read whose index window ended by the floor.
     */
    void forget(StreamHistory history, long floor, long now, long idleGraceNanos) {
        for (Iterator<FollowedBucket> it = buckets.values().iterator(); it.hasNext(); ) {
            FollowedBucket f = it.next();
            if (f.queued == 0 && f.windowEnd(history) <= floor
                    && (f.done || now - f.changedAt > idleGraceNanos)) {
                it.remove();
            }
        }
        left.prune(floor, now, idleGraceNanos, history.indexWindowNanos());
        endedByHeader.values().removeIf(indexWindowEnd -> indexWindowEnd <= floor);
    }

    /** The index windows of the buckets followed, or left before their end. */
    Set<Long> windowsInUse(StreamHistory history) {
        Set<Long> inUse = new HashSet<>();
        buckets.values().forEach(f -> inUse.add(history.indexWindowOf(f.name.windowStart())));
        left.indexWindows(inUse, history.indexWindowNanos());
        return inUse;
    }

    /**
     * Whether an event of a merged bucket is one this tail follows: its bucket window ended after
     * the floor when the merge was first followed, or its writer has a bucket in the index window
     * that the tail left before its end (the rest of a late bucket may lie in any of its windows).
     */
    boolean inScope(FollowedBucket merged, Event e, StreamHistory history) {
        long width = history.widestBucketWidthNanos();
        if (StoreLayout.windowStart(e.timestampNanos(), width) + width > merged.scopeFloor) {
            return true;
        }
        return left.ofWriterIn(e.id().writerId(), history.indexWindowOf(e.timestampNanos()),
                history.indexWindowNanos());
    }

    /** Their delivered positions, and the left ones', for a cursor. */
    void positions(List<TailPosition.Bucket> out) {
        for (FollowedBucket f : buckets.values()) {
            if (f.misplaced) {
                continue;
            }
            out.add(new TailPosition.Bucket(f.name.writerId(), f.name.windowStart(),
                    f.name.sequence(), f.deliveredOffset, f.deliveredSkip, f.unrecordedEnd == 0));
        }
        left.positions(out);
    }

    private static long indexWindowEnd(StoreLayout.BucketName name, StreamHistory history) {
        return history.indexWindowOf(name.windowStart()) + history.indexWindowNanos();
    }
}

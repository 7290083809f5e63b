package io.bucketlog.brigade;

import io.bucketlog.StreamConfig;
import io.bucketlog.internal.format.IndexEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides what to merge in one index window, from its listing alone, so that any brigade that
 * lists the same files plans the same units (and their claims and commits meet under the same
 * names).
 *
 * <p><b>Live buckets</b> are the listed ones that no commit {@linkplain #superseded supersedes}. Each live bucket has a <b>slot</b>: its own bucket window, or, for a bucket that covers
 * the whole index window (a writer's late bucket, a roll-up), the index window. Once the index
 * window is older than the roll-up age, every live bucket's slot is the index window.
 *
 * <p>A slot is <b>closed</b> when its end plus the lateness allowance has passed and every live
 * bucket in it is sealed or abandoned (unsealed and unchanged for the abandon age: its writer is
 * dead). A closed slot's live buckets, except merged ones already at least half the byte target,
 * are packed smallest first into units of at most the byte target; a unit that would only
 * rewrite one merged bucket is dropped. So repeated passes converge: a window ends as buckets of
 * at least half the target and at most one smaller one, each key-sorted.
 */
final class WorkPlan {
    private final Duration lateness;
    private final Duration abandonAfter;
    private final Duration rollUpAfter;

    /** @param rollUpAfter the age of an index window from which it is rolled up, or null */
    WorkPlan(Duration lateness, Duration abandonAfter, Duration rollUpAfter) {
        this.lateness = lateness;
        this.abandonAfter = abandonAfter;
        this.rollUpAfter = rollUpAfter;
    }

    /**
     * The buckets commits supersede: the inputs of every commit in effect ({@link #inEffect}),
     * and those a roll-up's commit in the roll-up area supersedes.
     */
    static Set<IndexEntry.BucketRef> superseded(WindowListing w) {
        Set<IndexEntry.BucketRef> out = new HashSet<>(w.rolledUp());
        for (IndexEntry.Superseded c : w.commits().values()) {
            if (inEffect(w, c)) {
                out.addAll(c.replaced());
            }
        }
        return out;
    }

    /**
     * Whether a commit replaces its inputs: its merged bucket is listed and sealed, or it is gone
     * because another commit of the window merged it further (its events are in that commit's
     * merged bucket). A commit whose merged bucket is gone otherwise (deleted as abandoned before
     * its commit landed) is void: its inputs are read as they are.
     */
    static boolean inEffect(WindowListing w, IndexEntry.Superseded c) {
        for (ListedBucket b : w.buckets()) {
            if (b.ref().equals(c.replacement())) {
                return b.sealed();
            }
        }
        for (IndexEntry.Superseded other : w.commits().values()) {
            if (other.replaced().contains(c.replacement())) {
                return true;
            }
        }
        return false;
    }

    /** The merged buckets of valid commits. */
    static Set<IndexEntry.BucketRef> mergedOutputs(WindowListing w) {
        Set<IndexEntry.BucketRef> out = new HashSet<>();
        for (IndexEntry.Superseded c : w.commits().values()) {
            out.add(c.replacement());
        }
        return out;
    }

    List<WorkUnit> plan(WindowListing w, StreamConfig config, long targetBytes, long nowMillis) {
        return plan(w, config, targetBytes, nowMillis, 0);
    }

    /**
     * @param minInputBytes buckets smaller than this are left out: a wider roll-up takes them
     *     ({@link RollUpPlan}); 0 leaves none out
     */
    List<WorkUnit> plan(WindowListing w, StreamConfig config, long targetBytes, long nowMillis,
                        long minInputBytes) {
        long indexWidth = config.indexWindowNanos();
        long bucketWidth = config.bucketWidthNanos();
        long nowNanos = nowMillis * 1_000_000L;
        boolean rollUp = rollUpAfter != null
                && w.indexWindowStart() + indexWidth + rollUpAfter.toNanos() <= nowNanos;
        Set<IndexEntry.BucketRef> superseded = superseded(w);
        Set<IndexEntry.BucketRef> merged = mergedOutputs(w);
        TreeMap<Long, List<ListedBucket>> slots = new TreeMap<>();
        for (ListedBucket b : w.buckets()) {
            if (superseded.contains(b.ref()) || b.bytes() < minInputBytes) {
                continue;
            }
            boolean wide = rollUp || b.wide();
            if (!wide && Math.floorMod(b.name().windowStart() - w.indexWindowStart(), bucketWidth) != 0) {
                continue; // written under another bucket width: left as it is
            }
            // A slot is keyed by its start; the index window's own slot by start - 1, which no
            // bucket window can be, so that it never mixes with the first bucket window.
            long key = wide ? w.indexWindowStart() - 1 : b.name().windowStart();
            slots.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
        }
        List<WorkUnit> units = new ArrayList<>();
        for (Map.Entry<Long, List<ListedBucket>> slot : slots.entrySet()) {
            boolean wide = slot.getKey() == w.indexWindowStart() - 1;
            long start = wide ? w.indexWindowStart() : slot.getKey();
            long width = wide ? indexWidth : bucketWidth;
            if (start + width + lateness.toNanos() > nowNanos
                    || !slot.getValue().stream().allMatch(b -> settled(b, nowMillis))) {
                continue;
            }
            List<ListedBucket> toMerge = slot.getValue().stream()
                    .filter(b -> !(merged.contains(b.ref()) && b.wide() == wide
                            && b.bytes() >= targetBytes / 2))
                    .sorted(Comparator.comparingLong(ListedBucket::bytes)
                            .thenComparing(ListedBucket::fileName))
                    .toList();
            List<ListedBucket> group = new ArrayList<>();
            long groupBytes = 0;
            for (ListedBucket b : toMerge) {
                if (!group.isEmpty() && groupBytes + b.bytes() > targetBytes) {
                    addUnit(units, w, start, width, wide, group, merged);
                    group = new ArrayList<>();
                    groupBytes = 0;
                }
                group.add(b);
                groupBytes += b.bytes();
            }
            addUnit(units, w, start, width, wide, group, merged);
        }
        return units;
    }

    private static void addUnit(List<WorkUnit> units, WindowListing w, long start, long width,
                                boolean wide, List<ListedBucket> group,
                                Set<IndexEntry.BucketRef> merged) {
        if (group.isEmpty()) {
            return;
        }
        if (group.size() == 1 && merged.contains(group.get(0).ref())
                && group.get(0).wide() == wide) {
            return; // already merged and sorted: rewriting it alone gains nothing
        }
        units.add(new WorkUnit(w.stream(), w.indexWindowStart(), start, width, wide, group));
    }

    /** Sealed, or unsealed and left alone long enough that its writer must be dead. */
    private boolean settled(ListedBucket b, long nowMillis) {
        return b.sealed() || b.lastModifiedMillis() + abandonAfter.toMillis() <= nowMillis;
    }
}

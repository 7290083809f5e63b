package io.bucketlog.brigade;

import io.bucketlog.StreamConfig;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.store.StoreLayout;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which buckets become roll-ups wider than the index window, in the roll-up area; like
 * {@link WorkPlan}, from listings alone, so brigades that list the same files plan the same
 * units.
 *
 * <p>Each {@link Level} has a width, a multiple of the index window and of the narrower levels'
 * widths (a level that is not is skipped for that stream), and an age. Spans of a level are
 * aligned to its width, as every window is. A span is rolled up once its end is older than the
 * level's age and than the lateness allowance, and every live bucket in its index windows is
 * sealed or abandoned. Its inputs are the live buckets of its index windows smaller than half the
 * byte target (bigger ones are left where they are: a roll-up is for the many small files of a
 * sparse stream or a backfill, not to rewrite big buckets) and the live roll-ups in the area that
 * lie in the span and are narrower, or as wide and smaller than half the target. They are packed
 * smallest first into units of at most the byte target, and a unit of one merged bucket is
 * dropped, so passes converge as in a window.
 */
final class RollUpPlan {
    /** A roll-up width and the age (after a span's end) from which spans of it are rolled up. */
    record Level(Duration width, Duration after) {
    }

    /** Lists one index window (an {@link EngineView#list} that throws only what it throws). */
    @FunctionalInterface
    interface Lister {
        WindowListing list(long indexWindowStart) throws IOException;
    }

    private final List<Level> levels;
    private final Duration lateness;
    private final Duration abandonAfter;

    RollUpPlan(List<Level> levels, Duration lateness, Duration abandonAfter) {
        this.levels = levels.stream().sorted(Comparator.comparing(Level::width)).toList();
        this.lateness = lateness;
        this.abandonAfter = abandonAfter;
    }

    /** The levels that fit a stream's index window, narrowest first. */
    List<Level> levelsFor(StreamConfig config) {
        long index = config.indexWindowNanos();
        List<Level> out = new ArrayList<>();
        long previous = index;
        for (Level l : levels) {
            long w = l.width().toNanos();
            if (w > previous && w % previous == 0) {
                out.add(l);
                previous = w;
            }
        }
        return out;
    }

    /**
     * Whether a window lies in a span that some level rolls up now: its small buckets are then
     * left to that roll-up rather than merged in the window first, which would write them twice.
     */
    boolean spanDue(StreamConfig config, long indexWindowStart, long nowMillis) {
        for (Level l : levelsFor(config)) {
            long width = l.width().toNanos();
            long span = StoreLayout.windowStart(indexWindowStart, width);
            if (span + width + Math.max(l.after().toNanos(), lateness.toNanos())
                    <= nowMillis * 1_000_000L) {
                return true;
            }
        }
        return false;
    }

    /**
     * The units of one level.
     *
     * @param windows the stream's index windows, ascending
     * @param area the roll-up area's listing
     */
    List<WorkUnit> plan(String stream, StreamConfig config, Level level, long targetBytes,
                        long nowMillis, List<Long> windows, WindowListing area, Lister lister)
            throws IOException {
        long width = level.width().toNanos();
        long nowNanos = nowMillis * 1_000_000L;
        long age = Math.max(level.after().toNanos(), lateness.toNanos());
        TreeSet<Long> spans = new TreeSet<>();
        for (long w : windows) {
            spans.add(StoreLayout.windowStart(w, width));
        }
        Set<IndexEntry.BucketRef> areaSuperseded = WorkPlan.superseded(area);
        for (ListedBucket b : area.buckets()) {
            if (!areaSuperseded.contains(b.ref())) {
                spans.add(StoreLayout.windowStart(b.name().windowStart(), width));
            }
        }
        List<WorkUnit> units = new ArrayList<>();
        for (long span : spans) {
            if (span + width + age > nowNanos) {
                continue; // spans only get younger from here
            }
            List<ListedBucket> inputs = inputs(span, width, targetBytes, nowMillis, windows, area,
                    areaSuperseded, lister);
            if (inputs != null) {
                pack(stream, span, width, targetBytes, inputs, units);
            }
        }
        return units;
    }

    /** The candidates of a span, or null if some bucket in it is not settled yet. */
    private List<ListedBucket> inputs(long span, long width, long targetBytes, long nowMillis,
                                      List<Long> windows, WindowListing area,
                                      Set<IndexEntry.BucketRef> areaSuperseded, Lister lister)
            throws IOException {
        List<ListedBucket> out = new ArrayList<>();
        for (long w : windows) {
            if (w < span || w >= span + width) {
                continue;
            }
            WindowListing listing = lister.list(w);
            Set<IndexEntry.BucketRef> superseded = WorkPlan.superseded(listing);
            for (ListedBucket b : listing.buckets()) {
                if (superseded.contains(b.ref())) {
                    continue;
                }
                if (!b.sealed() && b.lastModifiedMillis() + abandonAfter.toMillis() > nowMillis) {
                    return null; // a writer may still be writing there
                }
                if (b.bytes() < targetBytes / 2) {
                    out.add(b);
                }
            }
        }
        for (ListedBucket b : area.buckets()) {
            long bw = b.name().rollUpWidthNanos();
            if (areaSuperseded.contains(b.ref()) || !b.sealed() || b.name().windowStart() < span
                    || b.name().windowStart() >= span + width || bw > width) {
                continue;
            }
            if (bw < width || b.bytes() < targetBytes / 2) {
                out.add(b);
            }
        }
        return out;
    }

    private static void pack(String stream, long span, long width, long targetBytes,
                             List<ListedBucket> candidates, List<WorkUnit> units) {
        List<ListedBucket> sorted = candidates.stream().sorted(Comparator
                .comparingLong(ListedBucket::bytes).thenComparing(ListedBucket::fileName)).toList();
        List<ListedBucket> group = new ArrayList<>();
        long groupBytes = 0;
        for (ListedBucket b : sorted) {
            if (!group.isEmpty() && groupBytes + b.bytes() > targetBytes) {
                add(stream, span, width, group, units);
                group = new ArrayList<>();
                groupBytes = 0;
            }
            group.add(b);
            groupBytes += b.bytes();
        }
        add(stream, span, width, group, units);
    }

    private static void add(String stream, long span, long width, List<ListedBucket> group,
                            List<WorkUnit> units) {
        if (group.isEmpty() || (group.size() == 1 && group.get(0).name().merged())) {
            return; // one merged bucket alone: moving it gains nothing
        }
        units.add(new WorkUnit(stream, StoreLayout.ROLL_UP_AREA, span, width, true, group));
    }
}

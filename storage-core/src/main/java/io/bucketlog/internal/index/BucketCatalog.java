package io.bucketlog.internal.index;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.read.ReadCache;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The one place that maps (stream, index window) to the buckets of every writer and volume: the
 * scan, the tail, inspection ({@code stats}, {@code verify}) and a compactor all ask it.
 *
 * <h2>What a window holds</h2>
 * A window is the directory {@code <stream>/<window>/} on every volume (see {@link StoreLayout}).
 * Its names are, and nothing else is read:
 * <ul>
 *   <li>{@code *.idx}: index files. {@code index-<writer>.idx} is a writer's index bucket; any
 *       other (a compactor's {@code commit-<hex>.idx}, created whole with
 *       {@code putIfAbsent}) is a commit. Their "superseded" entries count alike.</li>
 *   <li>{@code <window>-<writer>-<seq>[-late].bkt}: a writer's data bucket, found by listing (so
 *       a bucket whose "opened" entry was lost is still read).</li>
 *   <li>{@code <window>-<writer>-<seq>-merged.bkt}: a compactor's merged bucket. It is read only
 *       once a checked-out "superseded" entry names it as a replacement: before its commit it is
 *       a merge in progress whose events are still read from the buckets it merges, so no reader
 *       (in particular no live tail) sees an event twice while a merge is committed.</li>
 * </ul>
 * Other names (a compactor's {@code claim-<hex>} objects, a backend's temporary files) are
 * ignored.
 *
 * <h2>The roll-up area</h2>
 * {@code <stream>/rollup/} ({@link StoreLayout#ROLL_UP_AREA}) is read like a window: its index
 * files, its commits and its buckets (only roll-ups, wider than the index window, each read once
 * a commit there names it). Its commits are the one exception to "a commit hides buckets of its
 * own directory": a roll-up merges buckets of many windows, so a commit in the area may name
 * buckets of any window directory of the stream (and of the area), and hides them wherever they
 * are listed, once its replacement checks out in the area. A bucket's name (writer and sequence)
 * is unique in its stream, so naming it is enough. Every listing of a window therefore needs the
 * area's: {@link #window(String, long, long, WindowBuckets, Consumer)} takes it, listed once by
 * the caller per query ({@link #rollUps}); the shorter form lists it itself.
 *
 * <p>Damage met (a window that cannot be listed, an unreadable index file, a superseded entry
 * whose replacement does not check out) goes to the caller's report consumer.
 *
 * <p>A reader's catalog keeps the windows it made ({@link ReadCache.Windows}): a window whose
 * listings and index views are the very objects it was made of is given again, since it is a
 * function of them alone ({@link ListedWindow}); the listing and index caches still decide each
 * query whether those are current. A window whose making reported damage, or met an index file
 * gone since the listing, is made again every time.
 */
public final class BucketCatalog {
    /** Above this many windows in a range, listing the stream's directories is cheaper. */
    private static final long MAX_COMPUTED_WINDOWS = 1024;

    private final StoreLayout layout;
    private final ReadCache.Indexes indexes;
    private final ReadCache.Listings listings;
    private final ReadCache.Windows windows;

    /** @param indexes where parsed index files come from (a reader's cache, or none) */
    public BucketCatalog(StoreLayout layout, ReadCache.Indexes indexes) {
        this(layout, indexes, ReadCache.NONE.listings());
    }

    /**
     * @param indexes where parsed index files come from (a reader's cache, or none)
     * @param listings where directory listings come from (a reader's cache, or the volumes)
     */
    public BucketCatalog(StoreLayout layout, ReadCache.Indexes indexes, ReadCache.Listings listings) {
        this(layout, indexes, listings, ReadCache.NONE.windows());
    }

    /** A catalog that takes everything it can from a reader's caches. */
    public BucketCatalog(StoreLayout layout, ReadCache cache) {
        this(layout, cache.indexes(), cache.listings(), cache.windows());
    }

    private BucketCatalog(StoreLayout layout, ReadCache.Indexes indexes,
                          ReadCache.Listings listings, ReadCache.Windows windows) {
        this.layout = layout;
        this.indexes = indexes;
        this.listings = listings;
        this.windows = windows;
    }

    public StoreLayout layout() {
        return layout;
    }

    /**
     * Window starts overlapping {@code [from, to)}, ascending. Computed from the range when it
     * spans few windows; an open-ended or very wide range lists the stream's directories instead,
     * so that "everything" or "latest N" visit only the windows that exist.
     */
    public long[] windows(String stream, long width, long from, long to,
                          Consumer<CorruptionReport> reports) {
        if (to <= from) {
            return new long[0];
        }
        long first = StoreLayout.windowStart(from, width);
        long last = StoreLayout.windowStart(to - 1, width);
        if ((last - first) / width < MAX_COMPUTED_WINDOWS) {
            int n = (int) ((last - first) / width) + 1;
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = first + i * width;
            }
            return out;
        }
        return existingWindows(stream, reports).subSet(first, true, last, true).stream()
                .mapToLong(Long::longValue).toArray();
    }

    /** The window directories of a stream on any volume, ascending. */
    public TreeSet<Long> existingWindows(String stream, Consumer<CorruptionReport> reports) {
        TreeSet<Long> found = new TreeSet<>();
        String prefix = StoreLayout.streamPrefix(stream);
        for (Storage volume : layout.volumes()) {
            for (String entry : list(volume, prefix, reports)) {
                long start = StoreLayout.parseWindowEntry(entry);
                if (start >= 0) {
                    found.add(start);
                }
            }
        }
        return found;
    }

    /**
     * The index files and buckets of one window, over every volume.
     *
     * @param indexWindowNanos the stream's index window, for the place check
     */
    public WindowBuckets window(String stream, long start, long indexWindowNanos,
                                Consumer<CorruptionReport> reports) {
        WindowBuckets area = rollUps(stream, indexWindowNanos, reports);
        return start == StoreLayout.ROLL_UP_AREA ? area
                : window(stream, start, indexWindowNanos, area, reports);
    }

    /**
     * The stream's roll-up area, listed like a window: its roll-ups (live once committed) and the
     * buckets its commits hide anywhere in the stream ({@link WindowBuckets#superseded}).
     */
    public WindowBuckets rollUps(String stream, long indexWindowNanos,
                                 Consumer<CorruptionReport> reports) {
        return listTwice(stream, StoreLayout.ROLL_UP_AREA, indexWindowNanos, Map.of(), reports);
    }

    /**
     * The index files and buckets of one window, over every volume, with the buckets that the
     * roll-up area's commits hide marked superseded.
     *
     * @param rollUps the stream's roll-up area, from {@link #rollUps}
     */
    public WindowBuckets window(String stream, long start, long indexWindowNanos,
                                WindowBuckets rollUps, Consumer<CorruptionReport> reports) {
        if (start == StoreLayout.ROLL_UP_AREA) {
            return rollUps;
        }
        return listTwice(stream, start, indexWindowNanos, rollUps.superseded(), reports);
    }

    private WindowBuckets listTwice(String stream, long start, long indexWindowNanos,
                                    Map<IndexEntry.BucketRef, IndexEntry.BucketRef> rolledUp,
                                    Consumer<CorruptionReport> reports) {
        // A listing is not a snapshot: one that runs while a compactor commits can see its commit
        // and miss the merged bucket created just before it (a directory's entries come in hash
        // order, not creation order). Such a commit looks like one naming a missing bucket; a
        // second listing, begun after the commit was seen, shows the bucket if it exists.
        List<CorruptionReport> first = new ArrayList<>();
        WindowBuckets listed = listWindow(stream, start, indexWindowNanos, rolledUp, first::add);
        if (first.stream().noneMatch(Supersession::isMissingReplacement)) {
            first.forEach(reports);
            return listed;
        }
        return listWindow(stream, start, indexWindowNanos, rolledUp, reports);
    }

    private WindowBuckets listWindow(String stream, long start, long indexWindowNanos,
                                     Map<IndexEntry.BucketRef, IndexEntry.BucketRef> rolledUp,
                                     Consumer<CorruptionReport> reports) {
        String prefix = StoreLayout.windowPrefix(stream, start);
        Reports counted = new Reports(reports);
        reports = counted;
        List<StoreObject> indexObjects = new ArrayList<>();
        List<StoreObject> bucketObjects = new ArrayList<>();
        List<List<String>> listed = new ArrayList<>(layout.volumes().size());
        for (Storage volume : layout.volumes()) {
            List<String> entries = list(volume, prefix, reports);
            listed.add(entries);
            for (String entry : entries) {
                if (entry.endsWith(StoreLayout.INDEX_SUFFIX + "/") || entry.endsWith(".bkt/")) {
                    reports.accept(new CorruptionReport(volume.locationOf(prefix
                            + entry.substring(0, entry.length() - 1)), -1, "cannot read: not a"
                            + " regular file (a directory, FIFO, device or socket): not opened"));
                } else if (entry.endsWith(StoreLayout.INDEX_SUFFIX)) {
                    indexObjects.add(new StoreObject(volume, prefix + entry));
                } else if (entry.endsWith(".bkt")) {
                    bucketObjects.add(new StoreObject(volume, prefix + entry));
                }
            }
        }
        List<WindowBuckets.IndexFile> files = new ArrayList<>();
        Map<String, IndexView> byWriter = new HashMap<>();
        long filesRead = 0;
        long bytesRead = 0;
        boolean vanished = false; // an index file listed but gone: not told by the views alone
        ListedWindow previous = windows.get(prefix);
        boolean sameListings = previous != null && previous.listedAs(layout.volumes(), listed);
        for (StoreObject idx : indexObjects) {
            String writerId = StoreLayout.parseIndexName(idx.fileName());
            IndexView view;
            IndexView commitView = sameListings && writerId == null ? previous.commitView(idx)
                    : null;
            if (commitView != null) { // ListedWindow#commitView says why it needs no refresh
                commitView.corruptions().forEach(reports);
                files.add(new WindowBuckets.IndexFile(idx, null, commitView));
                continue;
            }
            try {
                ReadCache.Refresh refresh = indexes.refresh(idx);
                if (refresh.bytesRead() > 0) {
                    filesRead++;
                    bytesRead += refresh.bytesRead();
                }
                view = refresh.view();
                view.corruptions().forEach(reports);
            } catch (NoSuchObjectException e) {
                vanished = true;
                continue; // removed since the listing (retention)
            } catch (IOException e) {
                reports.accept(new CorruptionReport(idx.location(), -1, "cannot read: " + e));
                view = null;
            }
            files.add(new WindowBuckets.IndexFile(idx, writerId, view));
            if (writerId != null && view != null) {
                byWriter.put(writerId, view);
            }
        }
        List<IndexView> views = new ArrayList<>(files.size());
        for (WindowBuckets.IndexFile f : files) {
            views.add(f.view());
        }
        boolean keepable = counted.count == 0 && !vanished;
        ListedWindow kept = keepable ? previous : null;
        if (kept != null && kept.madeOf(layout.volumes(), listed, views, rolledUp)) {
            WindowBuckets w = kept.window();
            return new WindowBuckets(start, w.indexFiles(), w.buckets(), w.superseded(), filesRead,
                    bytesRead);
        }
        WindowBuckets made = makeWindow(stream, start, indexWindowNanos, rolledUp, reports, files,
                byWriter, bucketObjects, filesRead, bytesRead);
        if (keepable && counted.count == 0) {
            windows.put(prefix, new ListedWindow(layout.volumes(), listed, views, rolledUp, made));
        }
        return made;
    }

    /** Counts the reports it passes on: a window made with none may be kept. */
    private static final class Reports implements Consumer<CorruptionReport> {
        private final Consumer<CorruptionReport> to;
        int count;

        Reports(Consumer<CorruptionReport> to) {
            this.to = to;
        }

        @Override
        public void accept(CorruptionReport r) {
            count++;
            to.accept(r);
        }
    }

    /** The window's buckets from its listed names and its index files' views. */
    private WindowBuckets makeWindow(String stream, long start, long indexWindowNanos,
                                     Map<IndexEntry.BucketRef, IndexEntry.BucketRef> rolledUp,
                                     Consumer<CorruptionReport> reports,
                                     List<WindowBuckets.IndexFile> files,
                                     Map<String, IndexView> byWriter, List<StoreObject> bucketObjects,
                                     long filesRead, long bytesRead) {
        List<StoreLayout.BucketName> names = new ArrayList<>();
        Set<IndexEntry.BucketRef> listed = new HashSet<>();
        for (StoreObject b : bucketObjects) {
            StoreLayout.BucketName name = StoreLayout.parseBucketName(b.fileName());
            names.add(name);
            if (name != null) {
                listed.add(name.ref());
            }
        }
        Map<IndexEntry.BucketRef, IndexEntry.BucketRef> superseded =
                Supersession.honoured(files, byWriter, listed, reports);
        for (Map.Entry<IndexEntry.BucketRef, IndexEntry.BucketRef> r : rolledUp.entrySet()) {
            if (listed.contains(r.getKey())) {
                superseded.putIfAbsent(r.getKey(), r.getValue());
            }
        }
        Set<IndexEntry.BucketRef> replacements = new HashSet<>(superseded.values());
        BucketPlace place = new BucketPlace(stream, indexWindowNanos);
        List<WindowBuckets.Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < bucketObjects.size(); i++) {
            StoreLayout.BucketName name = names.get(i);
            if (name == null) {
                continue; // not a bucket's name
            }
            StoreObject object = bucketObjects.get(i);
            String misplaced = place.problem(object.name(), name, null);
            if (name.merged() && !replacements.contains(name.ref()) && misplaced == null) {
                continue; // a merge not committed (yet); a misplaced one is listed, to be reported
            }
            IndexView view = byWriter.get(name.writerId());
            IndexEntry.Sealed sealed = view == null ? null : view.sealed().get(name.sequence());
            buckets.add(new WindowBuckets.Bucket(object, name, sealed,
                    superseded.containsKey(name.ref()), misplaced));
        }
        return new WindowBuckets(start, files, buckets, superseded, filesRead, bytesRead);
    }

    /** The bucket of this name on whichever volume holds it, or {@code null}. */
    public StoreObject locate(String stream, long indexWindowStart, StoreLayout.BucketName name) {
        String objectName = StoreLayout.bucketFile(stream, indexWindowStart, name);
        for (Storage volume : layout.volumes()) {
            try {
                if (volume.stat(objectName).isPresent()) {
                    return new StoreObject(volume, objectName);
                }
            } catch (IOException e) {
                return new StoreObject(volume, objectName); // reading it reports the problem
            }
        }
        return null;
    }

    private List<String> list(Storage volume, String prefix, Consumer<CorruptionReport> reports) {
        try {
            return listings.list(volume, prefix);
        } catch (IOException e) {
            reports.accept(new CorruptionReport(volume.locationOf(prefix.substring(0,
                    prefix.length() - 1)), -1, "cannot list: " + e));
            return List.of();
        }
    }
}

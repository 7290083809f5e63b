package io.bucketlog.brigade;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.index.BucketCatalog;
import io.bucketlog.internal.index.BucketPlace;
import io.bucketlog.internal.index.WindowBuckets;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.read.ReadCache;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the brigade needs from the engine, and the only class of the brigade that knows how
 * the engine finds and reads buckets: a stream's windows and a window's buckets with their sealed
 * state come from the engine's one {@link BucketCatalog}; the intact records of one bucket from
 * {@link BucketFile}. The rest of the brigade sees only {@link WindowListing}, {@link ListedBucket}
 * and {@link BucketRecords}. Writes (merged buckets, index entries, claims, commits, deletes) go
 * through the volumes' {@link Storage}.
 *
 * <p>The catalog leaves out merged buckets no commit names (a merge in progress, or one whose
 * brigade lost or died); they are listed here too, as {@link WindowListing#uncommitted}, so that
 * the brigade can remove the abandoned ones.
 */
final class EngineView {
    static final String COMMIT_PREFIX = "commit-";
    static final String COMMIT_SUFFIX = ".idx";

    private final Store store;
    private final StoreLayout layout;
    private final BucketCatalog catalog;

    /** @param volumes the store's volumes, or stand-ins for them (tests inject faults) */
    EngineView(Store store, List<Storage> volumes) {
        this.store = store;
        this.layout = new StoreLayout(volumes);
        this.catalog = new BucketCatalog(layout, ReadCache.NONE.indexes());
    }

    /** The view of a store, on its volumes. */
    static EngineView open(Store store) {
        return new EngineView(store, store.layout().volumes());
    }

    List<Storage> volumes() {
        return layout.volumes();
    }

    /** Where index buckets, commits and claims live. */
    Storage first() {
        return layout.volume(0);
    }

    List<String> streams() {
        return store.streams();
    }

    /** The newest configuration of a stream. */
    StreamConfig config(String stream) {
        return store.streamConfig(stream).orElseThrow(() -> new IllegalArgumentException(
                "no stream '" + stream + "' in " + store.location()));
    }

    /** The object-name prefix of an index window's directory, ending in {@code /}. */
    static String windowPrefix(String stream, long indexWindowStart) {
        return StoreLayout.windowPrefix(stream, indexWindowStart);
    }

    /** The index windows of a stream that exist on any volume, ascending. */
    List<Long> indexWindows(String stream, List<CorruptionReport> damage) {
        return List.copyOf(catalog.existingWindows(stream, damage::add));
    }

    /**
     * Lists one index window (or the roll-up area, {@link StoreLayout#ROLL_UP_AREA}): buckets on
     * every volume, their sealed state, commits, the rest.
     */
    WindowListing list(String stream, long indexWindowStart, List<CorruptionReport> damage)
            throws IOException {
        long indexWidth = config(stream).indexWindowNanos();
        WindowBuckets wb = catalog.window(stream, indexWindowStart, indexWidth, damage::add);
        String prefix = windowPrefix(stream, indexWindowStart);
        Map<String, IndexEntry.Superseded> commits = new HashMap<>();
        Map<String, Long> indexModified = new HashMap<>();
        for (WindowBuckets.IndexFile f : wb.indexFiles()) {
            String name = f.object().fileName();
            if (f.writerId() != null) {
                modified(f.object()).ifPresent(m -> indexModified.put(f.writerId(), m));
            } else if (name.startsWith(COMMIT_PREFIX) && name.endsWith(COMMIT_SUFFIX)
                    && f.view() != null && !f.view().superseded().isEmpty()) {
                // A commit holds one entry: every replaced bucket maps to the one replacement.
                IndexEntry.BucketRef replacement = f.view().superseded().values().iterator().next();
                commits.put(name.substring(COMMIT_PREFIX.length(),
                        name.length() - COMMIT_SUFFIX.length()), new IndexEntry.Superseded(
                        List.copyOf(f.view().superseded().keySet()), replacement));
            }
        }
        List<ListedBucket> buckets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (WindowBuckets.Bucket b : wb.buckets()) {
            seen.add(b.object().name());
            if (b.misplaced() == null) {
                listed(b.object(), indexWindowStart, b.name(), b.sealed() != null, indexWidth)
                        .ifPresent(buckets::add);
            }
        }
        // What the catalog hides beyond this window's own commits: the roll-up area's doing.
        Set<IndexEntry.BucketRef> local = new HashSet<>();
        commits.values().forEach(c -> local.add(c.replacement()));
        Set<IndexEntry.BucketRef> rolledUp = new HashSet<>();
        wb.superseded().forEach((replaced, by) -> {
            if (!local.contains(by)) {
                rolledUp.add(replaced);
            }
        });
        List<ListedBucket> uncommitted = new ArrayList<>();
        List<String> objects = new ArrayList<>();
        for (int v = 0; v < volumes().size(); v++) {
            for (String entry : volumes().get(v).list(prefix)) {
                StoreLayout.BucketName name = StoreLayout.parseBucketName(entry);
                if (name != null && name.merged() && !seen.contains(prefix + entry)) {
                    listed(new StoreObject(volumes().get(v), prefix + entry), indexWindowStart, name,
                            false, indexWidth).ifPresent(uncommitted::add);
                } else if (v == 0 && name == null && !entry.endsWith("/")
                        && !entry.endsWith(StoreLayout.INDEX_SUFFIX)) {
                    objects.add(entry);
                }
            }
        }
        return new WindowListing(stream, indexWindowStart, buckets, commits, objects,
                indexModified, uncommitted, indexWindowStart == StoreLayout.ROLL_UP_AREA ? Set.of()
                : rolledUp);
    }

    private Optional<ListedBucket> listed(StoreObject object, long directory,
                                          StoreLayout.BucketName name, boolean sealed,
                                          long indexWidth) throws IOException {
        Optional<ObjectVersion> version = object.storage().stat(object.name());
        Optional<Long> changed = modified(object);
        if (version.isEmpty() || changed.isEmpty()) {
            return Optional.empty(); // deleted since the listing: by a cleanup or retention
        }
        boolean wide = name.late();
        if (name.merged() && name.rollUpWidthNanos() == 0) {
            try {
                BucketHeader h = BucketFile.readHeader(object);
                wide = h != null && h.windowWidth() == indexWidth;
            } catch (NoSuchObjectException gone) {
                return Optional.empty();
            }
        }
        return Optional.of(new ListedBucket(object.fileName(), directory,
                volumes().indexOf(object.storage()), name, sealed, wide, version.get().size(),
                changed.get()));
    }

    /**
     * When an object last changed, in wall-clock millis of this host, as its backend reports it
     * ({@link Storage#lastModified}): a file's modification time, an object store's stamp moved
     * to this host's clock. Every backend knows one, so ageing works alike on all of them.
     */
    private static Optional<Long> modified(StoreObject object) throws IOException {
        return object.storage().lastModified(object.name()).map(Instant::toEpochMilli);
    }

    /**
     * The intact records of one bucket in the order they are stored, and the damage met. A bucket
     * that is gone gives {@code null}.
     */
    BucketRecords read(String stream, ListedBucket bucket) throws IOException {
        StoreObject object = new StoreObject(volumes().get(bucket.volume()),
                bucket.objectName(stream));
        List<CorruptionReport> damage = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        BucketPlace place = new BucketPlace(stream, config(stream).indexWindowNanos());
        try (BucketFile file = BucketFile.open(object, bucket.name(), place, damage::add)) {
            for (var block : file.blocks()) {
                file.readBlock(block, stream, null, 0, Long.MAX_VALUE, events);
            }
            return new BucketRecords(events, damage, file.sealed());
        } catch (NoSuchObjectException gone) {
            return null;
        }
    }

    /** The whole content of an object, for copying a damaged input aside. */
    byte[] readWhole(int volume, String name) throws IOException {
        try (var in = volumes().get(volume).openRead(name)) {
            long size = in.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException(in.name() + " is too large to copy aside (" + size + " bytes)");
            }
            byte[] b = new byte[(int) size];
            int at = 0;
            while (at < b.length) {
                int n = in.read(at, b, at, b.length - at);
                if (n <= 0) {
                    break;
                }
                at += n;
            }
            return at == b.length ? b : java.util.Arrays.copyOf(b, at);
        }
    }

    /** Where an object lives, for reports. */
    String locationOf(int volume, String name) {
        return volumes().get(volume).locationOf(name);
    }

    /**
     * The intact records of a bucket and where it is damaged.
     *
     * @param sealed whether it has a valid trailer
     */
    record BucketRecords(List<Event> events, List<CorruptionReport> damage, boolean sealed) {
    }
}

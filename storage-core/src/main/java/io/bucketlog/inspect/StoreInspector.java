package io.bucketlog.inspect;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Names;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.CorruptDataException;
import io.bucketlog.internal.format.IndexHeader;
import io.bucketlog.internal.index.BucketCatalog;
import io.bucketlog.internal.index.BucketPlace;
import io.bucketlog.internal.index.WindowBuckets;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.read.ReadCache;
import io.bucketlog.internal.store.StorageResolver;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StreamCatalog;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.Storage;
import io.bucketlog.spi.ObjectVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Looks inside a store, for tools: the windows and buckets of a stream with their sizes, counts
 * and state, and a verification of everything a query can read. Uses the store's bucket catalog,
 * so it sees exactly what queries see; reads only.
 */
public final class StoreInspector {
    private final Store store;
    private final StoreLayout layout;

    private StoreInspector(Store store) {
        this.store = store;
        this.layout = store.layout();
    }

    /** Inspects an open store; the store stays the caller's. */
    public static StoreInspector of(Store store) {
        return new StoreInspector(store);
    }

    /** The format versions this build writes, for {@code --version}. */
    public static String formatVersions() {
        return "data bucket " + BucketHeader.VERSION + ", index bucket " + IndexHeader.VERSION
                + ", stream config " + StreamCatalog.FORMAT_VERSION;
    }

    /**
     * Whether any of these locations holds a store (its {@code store.properties}); nothing is
     * created. For a tool that waits for a store to appear.
     */
    public static boolean anyStoreAt(List<String> locations) {
        for (String location : locations) {
            try (Storage s = StorageResolver.open(location, false)) {
                if (s.stat(StoreLayout.STORE_FILE).isPresent()) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // not there (yet), or not readable: not a store to read
            }
        }
        return false;
    }

    /**
     * The names with a stream's form on the first volume, whether or not their
     * {@code stream.conf} can be read (one that cannot is damage, not "no stream"), sorted.
     */
    public List<String> streamDirectories(Consumer<CorruptionReport> damage) {
        TreeSet<String> names = new TreeSet<>();
        Storage volume = layout.volume(0);
        try {
            for (String entry : volume.list("")) {
                String name = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
                if (Names.streamProblem(name) == null && !name.equals(StoreLayout.STORE_FILE)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            damage.accept(new CorruptionReport(volume.location(), -1, "cannot list: "
                    + e.getMessage()));
        }
        return new ArrayList<>(names);
    }

    /** Whether the first volume holds anything under the stream's name. */
    public boolean hasStreamDirectory(String stream) {
        if (Names.streamProblem(stream) != null) {
            return false;
        }
        try {
            return layout.volume(0).list("").contains(stream + "/");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Every window of a stream with its buckets, each opened and its blocks' headers read (so a
     * large stream takes a while: {@code progress} is told per bucket). Damage met goes to
     * {@code damage}; a bucket that cannot be read is listed with what could be read of it.
     */
    public List<WindowInfo> windows(String stream, Progress progress,
                                    Consumer<CorruptionReport> damage) {
        StreamConfig config = store.streamConfig(stream).orElseThrow(
                () -> new IllegalArgumentException("no stream '" + stream + "'"));
        BucketCatalog catalog = new BucketCatalog(layout, ReadCache.NONE.indexes());
        BucketPlace place = new BucketPlace(stream, config.indexWindowNanos());
        List<WindowBuckets> listed = new ArrayList<>();
        long total = 0;
        WindowBuckets rollUps = catalog.rollUps(stream, config.indexWindowNanos(), damage);
        for (long start : catalog.existingWindows(stream, damage)) {
            WindowBuckets w = catalog.window(stream, start, config.indexWindowNanos(), rollUps,
                    damage);
            listed.add(w);
            total += w.buckets().size();
        }
        if (!rollUps.indexFiles().isEmpty() || !rollUps.buckets().isEmpty()) {
            listed.add(rollUps);
            total += rollUps.buckets().size();
        }
        List<WindowInfo> out = new ArrayList<>();
        long done = 0;
        for (WindowBuckets w : listed) {
            long indexBytes = 0;
            for (WindowBuckets.IndexFile idx : w.indexFiles()) {
                indexBytes += sizeOf(idx.object().storage(), idx.object().name());
            }
            List<BucketInfo> buckets = new ArrayList<>();
            for (WindowBuckets.Bucket b : w.buckets()) {
                progress.update(++done, total);
                BucketInfo info = bucket(b, place, damage);
                if (info != null) {
                    buckets.add(info);
                }
            }
            out.add(new WindowInfo(w.start(), w.indexFiles().size(), indexBytes, buckets));
        }
        return out;
    }

    private static BucketInfo bucket(WindowBuckets.Bucket b, BucketPlace place,
                                     Consumer<CorruptionReport> damage) {
        try (BucketFile f = BucketFile.open(b.object(), b.name(), place, damage)) {
            long events = 0;
            long compressed = 0;
            long uncompressed = 0;
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            int damaged = 0;
            for (BlockEntry e : f.blocks()) {
                events += e.count();
                min = Math.min(min, e.minTimestamp());
                max = Math.max(max, e.maxTimestamp());
                compressed += e.length();
                try {
                    uncompressed += f.blockHeader(e).uncompressedLength();
                } catch (CorruptDataException bad) {
                    damaged++;
                }
            }
            return new BucketInfo(f.location(), b.name().windowStart(), f.size(), f.sealed(),
                    events, compressed, uncompressed, min, max, damaged);
        } catch (NoSuchObjectException gone) {
            return null; // deleted since listed
        } catch (IOException e) {
            damage.accept(new CorruptionReport(b.object().location(), -1, "cannot read: "
                    + e.getMessage()));
            return null;
        }
    }

    private static long sizeOf(Storage storage, String name) {
        try {
            return storage.stat(name).map(ObjectVersion::size).orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Checks every object of a stream a query can touch, by the rules a query reads it with, and
     * reports each damaged place to {@code damage} with its location.
     */
    public Verification verify(String stream, Progress progress,
                               Consumer<CorruptionReport> damage) {
        return new StreamVerifier(layout, damage).check(stream, progress);
    }
}

package io.bucketlog.brigade;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.backend.file.FileStorage;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.read.BucketPlace;
import io.bucketlog.internal.read.IndexFileReader;
import io.bucketlog.internal.store.FileLayout;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the brigade needs from the engine, and the only class of the brigade that knows how
 * the engine finds and reads buckets: a stream's windows, a window's buckets on every volume with
 * their sealed state, the brigade's commits there, and the intact records of one bucket. When the
 * engine's one bucket catalog exists, this is the class to re-point at it; the rest of the brigade
 * sees only {@link WindowListing}, {@link ListedBucket} and {@link BucketRecords}.
 *
 * <p>Writes (merged buckets, index entries, claims, commits, deletes) go through the volumes'
 * {@link Storage}: the brigade's on-disk protocol is written once, on the SPI.
 */
final class EngineView {
    static final String COMMIT_PREFIX = "commit-";
    static final String COMMIT_SUFFIX = ".idx";

    private final Store store;
    private final List<Storage> volumes;

    /** The view of a store, with one file storage per store directory. */
    static EngineView open(Store store) {
        List<Storage> volumes = new ArrayList<>();
        for (Path root : store.layout().roots()) {
            volumes.add(new FileStorage(root));
        }
        return new EngineView(store, volumes);
    }

    EngineView(Store store, List<Storage> volumes) {
        if (volumes.size() != store.layout().roots().size()) {
            throw new IllegalArgumentException("one storage per store directory");
        }
        this.store = store;
        this.volumes = List.copyOf(volumes);
    }

    List<Storage> volumes() {
        return volumes;
    }

    /** Where index buckets, commits and claims live. */
    Storage first() {
        return volumes.get(0);
    }

    List<String> streams() {
        return store.streams();
    }

    /** The newest configuration of a stream. */
    StreamConfig config(String stream) {
        return store.streamConfig(stream).orElseThrow(() -> new IllegalArgumentException(
                "no stream '" + stream + "' in " + store.layout().roots()));
    }

    /** The object-name prefix of an index window's directory, ending in {@code /}. */
    static String windowPrefix(String stream, long indexWindowStart) {
        return stream + "/" + FileLayout.windowName(indexWindowStart) + "/";
    }

    /** The index windows of a stream that exist on any volume, ascending. */
    List<Long> indexWindows(String stream) throws IOException {
        TreeSet<Long> found = new TreeSet<>();
        for (Storage v : volumes) {
            for (String entry : v.list(stream + "/")) {
                if (entry.endsWith("/")) {
                    long start = FileLayout.parseWindowName(entry.substring(0, entry.length() - 1));
                    if (start >= 0) {
                        found.add(start);
                    }
                }
            }
        }
        return List.copyOf(found);
    }

    /** Lists one index window: buckets on every volume, their sealed state, commits, the rest. */
    WindowListing list(String stream, long indexWindowStart, List<CorruptionReport> damage)
            throws IOException {
        String prefix = windowPrefix(stream, indexWindowStart);
        Map<String, Set<Long>> sealed = new HashMap<>();
        Map<String, IndexEntry.Superseded> commits = new HashMap<>();
        List<String> objects = new ArrayList<>();
        Map<String, Long> indexModified = new HashMap<>();
        for (String entry : first().list(prefix)) {
            String writer = FileLayout.parseIndexName(entry);
            if (writer != null) {
                try {
                    indexModified.put(writer, Files.getLastModifiedTime(
                            path(0, stream, indexWindowStart, entry), LinkOption.NOFOLLOW_LINKS).toMillis());
                } catch (NoSuchFileException gone) {
                    continue;
                }
                Set<Long> seqs = new HashSet<>();
                for (IndexEntry e : readIndex(0, stream, indexWindowStart, entry, damage)) {
                    if (e instanceof IndexEntry.Sealed s) {
                        seqs.add(s.bucketSequence());
                    }
                }
                sealed.put(writer, seqs);
            } else if (entry.startsWith(COMMIT_PREFIX) && entry.endsWith(COMMIT_SUFFIX)) {
                String hex = entry.substring(COMMIT_PREFIX.length(),
                        entry.length() - COMMIT_SUFFIX.length());
                for (IndexEntry e : readIndex(0, stream, indexWindowStart, entry, damage)) {
                    if (e instanceof IndexEntry.Superseded s) {
                        commits.put(hex, s);
                    }
                }
            } else if (!entry.endsWith("/") && FileLayout.parseBucketName(entry) == null) {
                objects.add(entry);
            }
        }
        List<ListedBucket> buckets = new ArrayList<>();
        for (int v = 0; v < volumes.size(); v++) {
            for (String entry : volumes.get(v).list(prefix)) {
                FileLayout.BucketName name = FileLayout.parseBucketName(entry);
                if (name == null) {
                    continue;
                }
                Path p = path(v, stream, indexWindowStart, entry);
                try {
                    long modified = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
                    long bytes = Files.size(p);
                    boolean isSealed = sealed.getOrDefault(name.writerId(), Set.of())
                            .contains(name.sequence());
                    buckets.add(new ListedBucket(entry, v, name, isSealed, bytes, modified));
                } catch (NoSuchFileException gone) {
                    // deleted since the listing: by a brigade's cleanup or retention
                }
            }
        }
        return new WindowListing(stream, indexWindowStart, buckets, commits, objects, indexModified);
    }

    private List<IndexEntry> readIndex(int volume, String stream, long indexWindowStart, String name,
                                       List<CorruptionReport> damage) throws IOException {
        List<IndexEntry> entries = new ArrayList<>();
        try {
            IndexFileReader.read(path(volume, stream, indexWindowStart, name), 0, entries, damage::add);
        } catch (NoSuchFileException gone) {
            return List.of();
        }
        return entries;
    }

    /**
     * The intact records of one bucket in the order they are stored, and the damage met. A bucket
     * that is gone gives {@code null}.
     */
    BucketRecords read(String stream, long indexWindowStart, ListedBucket bucket) throws IOException {
        Path p = path(bucket.volume(), stream, indexWindowStart, bucket.fileName());
        List<CorruptionReport> damage = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        BucketPlace place = new BucketPlace(stream, config(stream).indexWindowNanos());
        try (BucketFile file = BucketFile.open(p, bucket.name(), place, damage::add)) {
            for (var block : file.blocks()) {
                file.readBlock(block, stream, null, 0, Long.MAX_VALUE, events);
            }
            return new BucketRecords(events, damage, file.sealed());
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /** The whole content of an object, for copying a damaged input aside. */
    byte[] readWhole(int volume, String name) throws IOException {
        try (var in = volumes.get(volume).openRead(name)) {
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

    private Path path(int volume, String stream, long indexWindowStart, String name) {
        return store.layout().windowDir(volume, stream, indexWindowStart).resolve(name);
    }

    /** Where an object lives, for reports. */
    String locationOf(int volume, String name) {
        return volumes.get(volume).locationOf(name);
    }

    /**
     * The intact records of a bucket and where it is damaged.
     *
     * @param sealed whether it has a valid trailer
     */
    record BucketRecords(List<Event> events, List<CorruptionReport> damage, boolean sealed) {
    }
}

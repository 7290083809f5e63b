package io.bucketlog.reader;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bucketlog.CorruptionReport;
import io.bucketlog.format.IndexEntry;
import io.bucketlog.read.IndexFileReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed entries of index buckets, shared by every query of a reader.
 *
 * <p>Index buckets only grow (entries are appended, a torn last entry is completed later), so an
 * entry is parsed once: a refresh compares the file's size with the size last seen and reads only
 * from where the previous read stopped. Each file's view is an immutable {@link View}, replaced
 * when the file grows, so queries read it without locking; refreshes of one file are serialised
 * on its state. Bounded: the least recently used files are dropped, and re-read from the start if
 * needed again. Damage found in a file is remembered with its view, so every query that relies on
 * the file reports it, not only the first.
 */
final class IndexCache {
    /** What one index bucket said, as of {@link #refresh}. */
    record View(Map<Long, IndexEntry.Sealed> sealed, Set<IndexEntry.BucketRef> superseded,
                List<CorruptionReport> corruptions) {
        static final View EMPTY = new View(Map.of(), Set.of(), List.of());
    }

    /** A refreshed view and how many bytes the refresh read (0 when the file had not changed). */
    record Refresh(View view, long bytesRead) {
    }

    private static final class State {
        long nextOffset;
        long seenSize = -1;
        volatile View view = View.EMPTY;
    }

    private final Cache<Path, State> states;

    IndexCache(long maxFiles) {
        this.states = Caffeine.newBuilder().maximumSize(maxFiles)
                .executor(Runnable::run).build();
    }

    /**
     * The current view of an index bucket.
     *
     * @throws java.nio.file.NoSuchFileException if the file is gone
     */
    Refresh refresh(Path file) throws IOException {
        State s = states.get(file, k -> new State());
        synchronized (s) {
            long size = Files.size(file);
            if (size == s.seenSize) {
                return new Refresh(s.view, 0);
            }
            if (size < s.seenSize) { // replaced by a shorter file: start over
                s.nextOffset = 0;
                s.view = View.EMPTY;
            }
            List<IndexEntry> entries = new ArrayList<>();
            List<CorruptionReport> reports = new ArrayList<>(s.view.corruptions());
            long from = s.nextOffset;
            IndexFileReader.Progress p = IndexFileReader.read(file, from, entries, reports::add);
            Map<Long, IndexEntry.Sealed> sealed = new HashMap<>(s.view.sealed());
            Set<IndexEntry.BucketRef> superseded = new HashSet<>(s.view.superseded());
            for (IndexEntry e : entries) {
                if (e instanceof IndexEntry.Sealed x) {
                    sealed.put(x.bucketSequence(), x);
                } else if (e instanceof IndexEntry.Superseded x) {
                    superseded.addAll(x.replaced());
                }
            }
            s.nextOffset = p.nextOffset();
            s.seenSize = size;
            s.view = new View(Map.copyOf(sealed), Set.copyOf(superseded), List.copyOf(reports));
            return new Refresh(s.view, size - from);
        }
    }

    long size() {
        states.cleanUp();
        return states.estimatedSize();
    }

    void clear() {
        states.invalidateAll();
    }
}

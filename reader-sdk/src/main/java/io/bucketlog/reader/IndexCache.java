package io.bucketlog.reader;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bucketlog.CorruptionReport;
import io.bucketlog.format.IndexEntry;
import io.bucketlog.read.IndexFileReader;
import io.bucketlog.read.IndexView;
import io.bucketlog.read.ReadCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
final class IndexCache implements ReadCache.Indexes {
    private static final class State {
        long nextOffset;
        long seenSize = -1;
        volatile IndexView view = IndexView.EMPTY;
    }

    private final Cache<Path, State> states;

    IndexCache(long maxFiles) {
        this.states = Caffeine.newBuilder().maximumSize(maxFiles)
                .executor(Runnable::run).build();
    }

    /**
     * The current view of an index bucket; reads only what was appended since the last refresh.
     *
     * @throws java.nio.file.NoSuchFileException if the file is gone
     */
    @Override
    public ReadCache.Refresh refresh(Path file) throws IOException {
        State s = states.get(file, k -> new State());
        synchronized (s) {
            long size = Files.size(file);
            if (size == s.seenSize) {
                return new ReadCache.Refresh(s.view, 0);
            }
            if (size < s.seenSize) { // replaced by a shorter file: start over
                s.nextOffset = 0;
                s.view = IndexView.EMPTY;
            }
            List<IndexEntry> entries = new ArrayList<>();
            List<CorruptionReport> reports = new ArrayList<>();
            long from = s.nextOffset;
            IndexFileReader.Progress p = IndexFileReader.read(file, from, entries, reports::add);
            s.nextOffset = p.nextOffset();
            s.seenSize = size;
            s.view = s.view.plus(entries, reports);
            return new ReadCache.Refresh(s.view, size - from);
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

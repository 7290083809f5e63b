package io.bucketlog.reader;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.read.IndexFileReader;
import io.bucketlog.internal.read.IndexView;
import io.bucketlog.internal.read.ReadCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The parsed entries of index buckets, shared by every query of a reader.
 *
 * <p>Index buckets only grow (entries are appended, a torn last entry is completed later), so an
 * entry is parsed once: a refresh compares the file's size with the size last seen and reads only
 * from where the previous read stopped. That holds for one file, not for one name: retention may
 * delete a window and a late event re-create its index bucket, of any size. So the state also
 * keeps the file's identity ({@link BasicFileAttributes#fileKey()}: device and inode on Linux) and
 * starts over when it changes or the file shrinks. Where the platform has no file key, size alone
 * decides. Each file's view is an immutable {@link View}, replaced
 * when the file grows, so queries read it without locking; refreshes of one file are serialised
 * on its state. Bounded: the least recently used files are dropped, and re-read from the start if
 * needed again. Damage found in a file is remembered with its view, so every query that relies on
 * the file reports it, not only the first.
 */
final class IndexCache implements ReadCache.Indexes {
    private static final class State {
        Object fileKey;
        long nextOffset;
        long seenSize = -1;
        volatile IndexView view = IndexView.EMPTY;
    }

    private final Cache<Path, State> states;
    private final ReaderBean counters;

    IndexCache(long maxFiles, ReaderBean counters) {
        this.counters = counters;
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
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            long size = attrs.size();
            if (!Objects.equals(attrs.fileKey(), s.fileKey) || size < s.seenSize) {
                s.fileKey = attrs.fileKey(); // another file under this name: start over
                s.nextOffset = 0;
                s.seenSize = -1;
                s.view = IndexView.EMPTY;
            }
            if (size == s.seenSize) {
                counters.indexHits.increment();
                return new ReadCache.Refresh(s.view, 0);
            }
            counters.indexMisses.increment();
            counters.bytesRead.add(size - s.nextOffset);
            List<IndexEntry> entries = new ArrayList<>();
            List<CorruptionReport> reports = new ArrayList<>();
            long from = s.nextOffset;
            IndexFileReader.Progress p = IndexFileReader.read(file, from, entries, reports::add);
            IndexView view = s.view.plus(entries, reports);
            if (Objects.equals(Files.readAttributes(file, BasicFileAttributes.class).fileKey(),
                    s.fileKey)) {
                s.nextOffset = p.nextOffset();
                s.seenSize = size;
                s.view = view;
            } else {
                // Replaced while being read: the entries may be of either file. Serve them once,
                // keep nothing, and read the new file from its start next time.
                s.fileKey = null;
                s.nextOffset = 0;
                s.seenSize = -1;
                s.view = IndexView.EMPTY;
            }
            return new ReadCache.Refresh(view, size - from);
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

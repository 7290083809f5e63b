package io.bucketlog.reader;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.index.IndexFileReader;
import io.bucketlog.internal.index.IndexView;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.read.ReadCache;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parsed entries of index buckets, shared by every query of a reader.
 *
 * <p>Index buckets only grow (entries are appended, a torn last entry is completed later), so an
 * entry is parsed once: a refresh compares the object's {@link ObjectVersion} with the one last
 * seen and reads only from where the previous read stopped. That holds for one object, not for
 * one name: retention may delete a window and a late event re-create its index bucket, of any
 * size. So before reading on, the state checks that the last bytes it read are still there
 * (the end of the last entry frame, its CRC among them), and starts over when they are not or
 * the object shrank: a check that needs nothing of the backend but reads. Each object's view is
 * an immutable {@link IndexView}, replaced when the object grows, so queries read it without
 * locking; refreshes of one object are serialised on its state. Bounded: the least recently used
 * objects are dropped, and re-read from the start if needed again. Damage found in an object is
 * remembered with its view, so every query that relies on it reports it, not only the first.
 */
final class IndexCache implements ReadCache.Indexes {
    /** Bytes before the resume offset compared to tell a grown object from a replaced one. */
    private static final int CHECK_BYTES = 32;

    private static final class State {
        ObjectVersion version;
        long nextOffset;
        /** The bytes just before {@code nextOffset}, as read. */
        byte[] before = new byte[0];
        volatile IndexView view = IndexView.EMPTY;

        void reset() {
            version = null;
            nextOffset = 0;
            before = new byte[0];
            view = IndexView.EMPTY;
        }
    }

    private final Cache<String, State> states;
    private final ReaderBean counters;

    IndexCache(long maxFiles, ReaderBean counters) {
        this.counters = counters;
        this.states = Caffeine.newBuilder().maximumSize(maxFiles)
                .executor(Runnable::run).build();
    }

    /**
     * The current view of an index bucket; reads only what was appended since the last refresh.
     *
     * @throws NoSuchObjectException if it is gone
     */
    @Override
    public ReadCache.Refresh refresh(StoreObject file) throws IOException {
        State s = states.get(file.location(), k -> new State());
        synchronized (s) {
            ObjectVersion now = file.storage().stat(file.name())
                    .orElseThrow(() -> new NoSuchObjectException(file.location()));
            if (now.equals(s.version)) {
                counters.indexHits.increment();
                return new ReadCache.Refresh(s.view, 0);
            }
            try (ReadableObject o = file.openRead()) {
                long size = o.size();
                if (s.version != null && (size < s.nextOffset || !stillThere(o, s))) {
                    s.reset(); // another object under this name: start over
                }
                counters.indexMisses.increment();
                long from = s.nextOffset;
                counters.bytesRead.add(Math.max(0, size - from));
                List<IndexEntry> entries = new ArrayList<>();
                List<CorruptionReport> reports = new ArrayList<>();
                IndexFileReader.Progress p = IndexFileReader.read(o, file.location(), from, entries,
                        reports::add);
                IndexView view = s.view.plus(entries, reports);
                s.nextOffset = p.nextOffset();
                int keep = (int) Math.min(CHECK_BYTES, s.nextOffset);
                s.before = BucketFile.readAt(o, s.nextOffset - keep, keep);
                s.version = now;
                s.view = view;
                return new ReadCache.Refresh(view, Math.max(0, size - from));
            }
        }
    }

    private static boolean stillThere(ReadableObject o, State s) throws IOException {
        byte[] b = BucketFile.readAt(o, s.nextOffset - s.before.length, s.before.length);
        return Arrays.equals(b, s.before);
    }

    long size() {
        states.cleanUp();
        return states.estimatedSize();
    }

    void clear() {
        states.invalidateAll();
    }
}

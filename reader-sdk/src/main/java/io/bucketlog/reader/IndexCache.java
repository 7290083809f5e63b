package io.bucketlog.reader;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
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
 * size. So before reading on, the state checks that the last entry frame it read is still there
 * (its header, which holds the CRC of its body; the index header while there is no entry), and
 * starts over when it is not or the object shrank: a check that needs nothing of the backend but
 * reads. An unchanged version is trusted only once it has been so for {@value #SETTLE_MILLIS} ms
 * and checked that way after: a file's modification time ticks coarsely (4 ms on Linux, a second
 * on some file systems), so an object replaced by one of the same size within the tick of its
 * last write has the same version; until then each refresh makes the check. Each object's view is
 * an immutable {@link IndexView}, replaced when the object grows, so queries read it without
 * locking; refreshes of one object are serialised on its state. Bounded: the least recently used
 * objects are dropped, and re-read from the start if needed again. Damage found in an object is
 * remembered with its view, so every query that relies on it reports it, not only the first.
 */
final class IndexCache implements ReadCache.Indexes {
    /** How long a version must stay the same before it alone vouches for the content. */
    static final long SETTLE_MILLIS = 2000;

    private static final class State {
        ObjectVersion version;
        /** When {@link #version} was first seen (monotonic clock). */
        long versionSeenNanos;
        /** Whether {@link #version} was checked after it settled, and is trusted from then on. */
        boolean settled;
        long nextOffset;
        /** Where the bytes compared to tell a grown object from a replaced one start. */
        long checkAt;
        /** Those bytes, as read: the last entry frame's header, or the index header. */
        byte[] check = new byte[0];
        volatile IndexView view = IndexView.EMPTY;

        void reset() {
            version = null;
            settled = false;
            nextOffset = 0;
            checkAt = 0;
            check = new byte[0];
            view = IndexView.EMPTY;
        }
    }

    /** By the volume's location and the name, as a location would be, without building one. */
    private record Key(String volume, String name) {
    }

    private final Cache<Key, State> states;
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
        State s = states.get(new Key(file.storage().location(), file.name()), k -> new State());
        synchronized (s) {
            ObjectVersion now = file.storage().statListed(file.name())
                    .orElseThrow(() -> new NoSuchObjectException(file.location()));
            if (now.equals(s.version) && (s.settled || stillThere(file, s))) {
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
                if (p.lastFrameOffset() >= 0) {
                    s.checkAt = p.lastFrameOffset();
                    s.check = BucketFile.readAt(o, s.checkAt, Frame.HEADER_BYTES);
                } else if (from == 0) {
                    s.checkAt = 0;
                    s.check = BucketFile.readAt(o, 0, (int) Math.min(s.nextOffset,
                            IndexHeader.MAX_BYTES));
                }
                if (!now.equals(s.version)) {
                    s.version = now;
                    s.versionSeenNanos = System.nanoTime();
                    s.settled = false;
                }
                s.view = view;
                return new ReadCache.Refresh(view, Math.max(0, size - from));
            }
        }
    }

    /** Checks an unchanged version's content, and settles it when it is old enough. */
    private static boolean stillThere(StoreObject file, State s) throws IOException {
        boolean old = System.nanoTime() - s.versionSeenNanos > SETTLE_MILLIS * 1_000_000L;
        try (ReadableObject o = file.openRead()) {
            if (!stillThere(o, s)) {
                return false;
            }
        }
        s.settled = old;
        return true;
    }

    private static boolean stillThere(ReadableObject o, State s) throws IOException {
        return Arrays.equals(BucketFile.readAt(o, s.checkAt, s.check.length), s.check);
    }

    long size() {
        states.cleanUp();
        return states.estimatedSize();
    }

    void clear() {
        states.invalidateAll();
    }
}

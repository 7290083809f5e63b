package io.bucketlog.reader;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.bucketlog.internal.read.ReadCache;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;

/**
 * Handles on sealed buckets kept open between a reader's queries, so that a query that reads a
 * bucket again pays no open (on files: the {@code lstat}s of every level and the {@code open}).
 *
 * <p>Why a kept handle is never served for another file: it is kept by the object (its volume's
 * location and its name) and {@link ObjectVersion} (size and modification time in nanoseconds),
 * and the scan asks for it only after a {@code stat} of the name gave that version. That
 * {@code stat} and the listing or stamp the same query took of the bucket's window check what is
 * there now, as the open would: every level a real directory (the listing or stamp), the file
 * regular, not a link (the {@code stat}: a bucket replaced by a link is refused there and
 * reported, whatever is kept), and a deleted bucket is not read (the {@code stat} finds
 * nothing). A file put at the same name with the same size and modification time to the
 * nanosecond would be taken for the kept one, as the footer cache takes it already. Which
 * buckets a query reads is the catalog's decision (a bucket a commit superseded is not asked
 * for); a handle outliving its file's delete (a grace-period delete of a merged input) reads the
 * file as it was, which is what a query that opened it before the delete reads.
 *
 * <p>Bounded by a number of handles (file descriptors), least recently used out. A handle is
 * shared by the queries reading it at once; it is closed when it has been evicted and the last of
 * them gave it back.
 */
final class SealedHandles implements ReadCache.SealedOpens {
    /** By the volume's location and the name: no path is built for a lookup. */
    private record Key(String volume, String name, ObjectVersion version) {
    }

    /** One kept handle and the queries holding it. */
    private static final class Shared {
        private final ReadableObject handle;
        private int users;
        private boolean evicted;
        private boolean closed;

        Shared(ReadableObject handle) {
            this.handle = handle;
        }

        /** Takes a use, or returns false if it is being closed. */
        synchronized boolean acquire() {
            if (evicted) {
                return false;
            }
            users++;
            return true;
        }

        synchronized void release() throws IOException {
            users--;
            closeIfUnused();
        }

        synchronized void evict() throws IOException {
            evicted = true;
            closeIfUnused();
        }

        private void closeIfUnused() throws IOException {
            if (evicted && users == 0 && !closed) {
                closed = true;
                handle.close();
            }
        }
    }

    private final Cache<Key, Shared> handles;

    SealedHandles(long maxHandles) {
        this.handles = Caffeine.newBuilder().maximumSize(maxHandles)
                .executor(Runnable::run) // close on the caller's thread: bounded at every moment
                .removalListener((Key k, Shared s, RemovalCause cause) -> {
                    if (s != null) {
                        try {
                            s.evict();
                        } catch (IOException e) {
                            // closing a read-only handle loses nothing; the next open reports
                        }
                    }
                })
                .build();
    }

    @Override
    public ReadableObject open(StoreObject object, ObjectVersion version) throws IOException {
        Key key = new Key(object.storage().location(), object.name(), version);
        while (true) {
            Shared s = handles.getIfPresent(key);
            if (s == null) {
                Shared opened = new Shared(object.openRead());
                s = handles.asMap().putIfAbsent(key, opened);
                if (s == null) {
                    s = opened;
                } else {
                    opened.handle.close(); // another query opened it at the same moment
                }
            }
            if (s.acquire()) {
                return lease(s);
            }
            handles.asMap().remove(key, s); // evicted meanwhile: open again
        }
    }

    private static ReadableObject lease(Shared s) {
        return new ReadableObject() {
            private boolean returned;

            @Override
            public String name() {
                return s.handle.name();
            }

            @Override
            public long size() throws IOException {
                return s.handle.size();
            }

            @Override
            public int read(long position, byte[] into, int offset, int length) throws IOException {
                return s.handle.read(position, into, offset, length);
            }

            @Override
            public ObjectVersion version() throws IOException {
                return s.handle.version();
            }

            @Override
            public synchronized void close() throws IOException {
                if (!returned) {
                    returned = true;
                    s.release();
                }
            }
        };
    }

    long size() {
        handles.cleanUp();
        return handles.estimatedSize();
    }

    void clear() {
        handles.invalidateAll();
    }
}

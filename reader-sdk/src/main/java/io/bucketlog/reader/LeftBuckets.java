package io.bucketlog.reader;

import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.store.StoreLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The buckets a tail stopped following before it read them to their end: a compactor's commit
 * replaced them, they were deleted, or a cursor names them and they are gone. Their rest lies in
 * the merge that replaced them, so the tail follows a merge of any of them even when its window
 * ended below the floor, and delivers its events of their writers in their index window whatever
 * their time (the rest of a late bucket may lie in any bucket window). Each is kept until its
 * index window has fallen below the floor and the idle grace has passed since it was left, and is
 * named in the tail's cursor as a followed bucket is. Not thread-safe.
 */
final class LeftBuckets {
    private record Left(StoreLayout.BucketName name, long offset, int delivered, boolean recorded,
                        long leftAt) {
    }

    private final Map<IndexEntry.BucketRef, Left> left = new HashMap<>();

    /**
     * @param offset where its delivered position is, as a cursor names it
     * @param delivered records of the block there already delivered
     * @param recorded whether what it delivered is in the tail's delivered set
     */
    void add(StoreLayout.BucketName name, long offset, int delivered, boolean recorded, long now) {
        left.put(name.ref(), new Left(name, offset, delivered, recorded, now));
    }

    /** Followed again (a cursor named it, and it still exists). */
    void remove(IndexEntry.BucketRef ref) {
        left.remove(ref);
    }

    /** Whether any of these buckets was left. */
    boolean anyOf(List<IndexEntry.BucketRef> refs) {
        for (IndexEntry.BucketRef r : refs) {
            if (left.containsKey(r)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a bucket of this writer in the index window starting at {@code window} was left. */
    boolean ofWriterIn(String writerId, long window, long indexWidth) {
        for (Left l : left.values()) {
            if (l.name().writerId().equals(writerId) && indexWindow(l.name(), indexWidth) == window) {
                return true;
            }
        }
        return false;
    }

    /** Adds the index windows of the buckets left. */
    void indexWindows(Set<Long> out, long indexWidth) {
        left.values().forEach(l -> out.add(indexWindow(l.name(), indexWidth)));
    }

    /** Forgets those whose index window ended by {@code floor} and that were left long enough ago. */
    void prune(long floor, long now, long idleGraceNanos, long indexWidth) {
        left.values().removeIf(l -> indexWindow(l.name(), indexWidth) + indexWidth <= floor
                && now - l.leftAt() > idleGraceNanos);
    }

    /** Their positions, for a cursor. */
    void positions(List<TailPosition.Bucket> out) {
        for (Left l : left.values()) {
            out.add(new TailPosition.Bucket(l.name().writerId(), l.name().windowStart(),
                    l.name().sequence(), l.offset(), l.delivered(), l.recorded()));
        }
    }

    private static long indexWindow(StoreLayout.BucketName name, long indexWidth) {
        return StoreLayout.windowStart(name.windowStart(), indexWidth);
    }
}

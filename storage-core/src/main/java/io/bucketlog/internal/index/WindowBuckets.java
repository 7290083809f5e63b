package io.bucketlog.internal.index;

import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import java.util.List;
import java.util.Map;

/**
 * What the catalog found in one index window of a stream, over every volume: its index files and
 * its data buckets, each with what the index says of it.
 *
 * @param start the index window's first nanosecond
 * @param indexFiles every {@code *.idx} of the window: writers' index buckets and commits
 * @param buckets the data buckets read: live ones and the superseded ones alike, in listing order
 * @param superseded the buckets committed replaced, each with its replacement (all checked out)
 * @param indexFilesRead index files of which bytes were read (not served from a cache)
 * @param indexBytesRead bytes read from index files
 */
public record WindowBuckets(long start, List<IndexFile> indexFiles, List<Bucket> buckets,
                            Map<IndexEntry.BucketRef, IndexEntry.BucketRef> superseded,
                            long indexFilesRead, long indexBytesRead) {
    public WindowBuckets {
        indexFiles = List.copyOf(indexFiles);
        buckets = List.copyOf(buckets);
        superseded = Map.copyOf(superseded);
    }

    /**
     * An index file of the window.
     *
     * @param writerId the writer of an index bucket, or {@code null} for a commit object
     * @param view what it says, or {@code null} if it could not be read (which was reported)
     */
    public record IndexFile(StoreObject object, String writerId, IndexView view) {
    }

    /**
     * A data bucket of the window.
     *
     * @param sealed what its writer's index says of its seal, or {@code null}
     * @param superseded whether a checked-out "superseded" entry hides it
     * @param misplaced why its name does not belong in this directory, or {@code null}
     *        (see {@link BucketPlace}; a header that disagrees is found when it is opened)
     */
    public record Bucket(StoreObject object, StoreLayout.BucketName name, IndexEntry.Sealed sealed,
                         boolean superseded, String misplaced) {
        /** Whether a reader reads it: not superseded, not misplaced. */
        public boolean live() {
            return !superseded && misplaced == null;
        }
    }

    /** The buckets a reader reads. */
    public List<Bucket> live() {
        return buckets.stream().filter(Bucket::live).toList();
    }

    /**
     * The buckets committed replaced by {@code replacement}, or an empty list if it replaces none.
     */
    public List<IndexEntry.BucketRef> replacedBy(IndexEntry.BucketRef replacement) {
        return superseded.entrySet().stream().filter(e -> e.getValue().equals(replacement))
                .map(Map.Entry::getKey).toList();
    }
}

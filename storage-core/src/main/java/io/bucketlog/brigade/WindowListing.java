package io.bucketlog.brigade;

import io.bucketlog.internal.format.IndexEntry;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one index window of a stream holds, as the brigade sees it at one moment.
 *
 * @param stream the stream
 * @param indexWindowStart the index window's first nanosecond
 * @param buckets every data bucket listed, on every volume, superseded or not
 * @param commits the brigade's commits in the window by their hash
 * @param objects the names of the window's other objects on the first volume (claims, commit
 *     times), for the brigade's own bookkeeping
 * @param indexModified when each writer's index bucket in the window last changed (wall clock
 *     millis), by writer id
 * @param uncommitted merged buckets no commit names: merges in progress, or left by a brigade
 *     that lost its race or died; readers never read them
 * @param rolledUp buckets of this window that a commit of the roll-up area supersedes (checked
 *     out as readers check it)
 */
record WindowListing(String stream, long indexWindowStart, List<ListedBucket> buckets,
                     Map<String, IndexEntry.Superseded> commits, List<String> objects,
                     Map<String, Long> indexModified, List<ListedBucket> uncommitted,
                     Set<IndexEntry.BucketRef> rolledUp) {
    /** A listing in which no roll-up supersedes anything. */
    WindowListing(String stream, long indexWindowStart, List<ListedBucket> buckets,
                  Map<String, IndexEntry.Superseded> commits, List<String> objects,
                  Map<String, Long> indexModified, List<ListedBucket> uncommitted) {
        this(stream, indexWindowStart, buckets, commits, objects, indexModified, uncommitted,
                Set.of());
    }

    WindowListing {
        rolledUp = Set.copyOf(rolledUp);
        buckets = List.copyOf(buckets);
        commits = Map.copyOf(commits);
        objects = List.copyOf(objects);
        indexModified = Map.copyOf(indexModified);
        uncommitted = List.copyOf(uncommitted);
    }
}

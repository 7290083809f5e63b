package io.bucketlog.internal.index;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.IndexEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one writer's index bucket of one window says, as far as a scan needs it: the summaries of
 * its sealed buckets, the buckets the brigade replaced, and the damage met while parsing it (kept
 * with the view so that every scan relying on the file reports it, not only the first).
 * Immutable: a cache replaces the view when the file grows.
 *
 * @param sealed "sealed" entries by bucket sequence
 * @param superseded buckets named replaced by a "superseded" entry, each with its replacement
 * @param corruptions damage found in the file
 */
public record IndexView(Map<Long, IndexEntry.Sealed> sealed,
                        Map<IndexEntry.BucketRef, IndexEntry.BucketRef> superseded,
                        List<CorruptionReport> corruptions) {
    /** A file with no entries yet. */
    public static final IndexView EMPTY = new IndexView(Map.of(), Map.of(), List.of());

    public IndexView {
        sealed = Map.copyOf(sealed);
        superseded = Map.copyOf(superseded);
        corruptions = List.copyOf(corruptions);
    }

    /** This view with entries read further on in the same file, and the damage met reading them. */
    public IndexView plus(List<IndexEntry> entries, List<CorruptionReport> found) {
        if (entries.isEmpty() && found.isEmpty()) {
            return this;
        }
        Map<Long, IndexEntry.Sealed> s = new HashMap<>(sealed);
        Map<IndexEntry.BucketRef, IndexEntry.BucketRef> r = new HashMap<>(superseded);
        for (IndexEntry e : entries) {
            if (e instanceof IndexEntry.Sealed x) {
                s.put(x.bucketSequence(), x);
            } else if (e instanceof IndexEntry.Superseded x) {
                for (IndexEntry.BucketRef old : x.replaced()) {
                    r.put(old, x.replacement());
                }
            }
        }
        List<CorruptionReport> c = new ArrayList<>(corruptions);
        c.addAll(found);
        return new IndexView(s, r, c);
    }
}

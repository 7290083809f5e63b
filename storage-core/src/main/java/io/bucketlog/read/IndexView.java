package io.bucketlog.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.format.IndexEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one writer's index bucket of one window says, as far as a scan needs it: the summaries of
 * its sealed buckets, the buckets the brigade replaced, and the damage met while parsing it (kept
 * with the view so that every scan relying on the file reports it, not only the first).
 * Immutable: a cache replaces the view when the file grows.
 *
 * @param sealed "sealed" entries by bucket sequence
 * @param superseded buckets replaced by a committed "superseded" entry
 * @param corruptions damage found in the file
 */
public record IndexView(Map<Long, IndexEntry.Sealed> sealed, Set<IndexEntry.BucketRef> superseded,
                        List<CorruptionReport> corruptions) {
    /** A file with no entries yet. */
    public static final IndexView EMPTY = new IndexView(Map.of(), Set.of(), List.of());

    public IndexView {
        sealed = Map.copyOf(sealed);
        superseded = Set.copyOf(superseded);
        corruptions = List.copyOf(corruptions);
    }

    /** This view with entries read further on in the same file, and the damage met reading them. */
    public IndexView plus(List<IndexEntry> entries, List<CorruptionReport> found) {
        if (entries.isEmpty() && found.isEmpty()) {
            return this;
        }
        Map<Long, IndexEntry.Sealed> s = new HashMap<>(sealed);
        Set<IndexEntry.BucketRef> r = new HashSet<>(superseded);
        for (IndexEntry e : entries) {
            if (e instanceof IndexEntry.Sealed x) {
                s.put(x.bucketSequence(), x);
            } else if (e instanceof IndexEntry.Superseded x) {
                r.addAll(x.replaced());
            }
        }
        List<CorruptionReport> c = new ArrayList<>(corruptions);
        c.addAll(found);
        return new IndexView(s, r, c);
    }
}

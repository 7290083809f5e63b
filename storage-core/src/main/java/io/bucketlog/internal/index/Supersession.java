package io.bucketlog.internal.index;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which buckets of a window the compactor's "superseded" entries hide. An entry takes effect only
 * when its replacement checks out: the replacement bucket is in the window's listing and its
 * writer's index bucket says it was sealed (the compactor writes the replacement completely and
 * seals it before it commits). An entry whose replacement is missing or not sealed is reported,
 * and the buckets it names are read as if it did not exist: hiding them would lose their events.
 * Entries count alike wherever they are: in a writer's index bucket or in a commit object.
 */
final class Supersession {
    private static final String MISSING = "does not exist";

    private Supersession() {
    }

    /** Whether a report says a superseded entry's replacement was not in the listing. */
    static boolean isMissingReplacement(CorruptionReport report) {
        return report.offset() == -1 && report.problem().startsWith("a superseded entry replaces ")
                && report.problem().contains(", which " + MISSING + ";");
    }

    /**
     * The buckets to skip, each with its replacement.
     *
     * @param files every index file of the window (index buckets and commits)
     * @param byWriter the window's index buckets by writer id
     * @param listed the data buckets listed in the window, over every volume
     */
    static Map<IndexEntry.BucketRef, IndexEntry.BucketRef> honoured(
            List<WindowBuckets.IndexFile> files, Map<String, IndexView> byWriter,
            Set<IndexEntry.BucketRef> listed, Consumer<CorruptionReport> reports) {
        Map<IndexEntry.BucketRef, IndexEntry.BucketRef> hidden = new HashMap<>();
        for (WindowBuckets.IndexFile file : files) {
            if (file.view() == null) {
                continue;
            }
            for (Map.Entry<IndexEntry.BucketRef, IndexEntry.BucketRef> e
                    : file.view().superseded().entrySet()) {
                IndexEntry.BucketRef replacement = e.getValue();
                String problem = problem(byWriter, listed, replacement);
                if (problem == null) {
                    hidden.put(e.getKey(), replacement);
                } else if (!stillExists(file.object())) {
                    // A listing is not a snapshot: a compactor deletes a commit before the merged
                    // bucket it names, and a listing that met the commit before its delete can miss
                    // the bucket deleted after it. A commit that is gone is no damage.
                    continue;
                } else {
                    IndexEntry.BucketRef old = e.getKey();
                    reports.accept(new CorruptionReport(file.object().location(), -1,
                            "a superseded entry replaces " + name(old) + " by " + name(replacement)
                            + ", which " + problem + "; the replaced bucket is read"));
                }
            }
        }
        return hidden;
    }

    private static boolean stillExists(StoreObject commit) {
        try {
            return commit.storage().stat(commit.name()).isPresent();
        } catch (IOException e) {
            return true; // cannot tell: report what was seen
        }
    }

    private static String name(IndexEntry.BucketRef ref) {
        return StoreLayout.bucketFileName(ref.bucketWindowStart(), ref.writerId(),
                ref.bucketSequence());
    }

    private static String problem(Map<String, IndexView> byWriter, Set<IndexEntry.BucketRef> listed,
                                  IndexEntry.BucketRef replacement) {
        if (!listed.contains(replacement)) {
            return MISSING;
        }
        IndexView writer = byWriter.get(replacement.writerId());
        if (writer == null || !writer.sealed().containsKey(replacement.bucketSequence())) {
            return "its index does not show sealed";
        }
        return null;
    }
}

package io.bucketlog.internal.index;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.store.StoreLayout;
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
    private Supersession() {
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

    private static String name(IndexEntry.BucketRef ref) {
        return StoreLayout.bucketFileName(ref.bucketWindowStart(), ref.writerId(),
                ref.bucketSequence());
    }

    private static String problem(Map<String, IndexView> byWriter, Set<IndexEntry.BucketRef> listed,
                                  IndexEntry.BucketRef replacement) {
        if (!listed.contains(replacement)) {
            return "does not exist";
        }
        IndexView writer = byWriter.get(replacement.writerId());
        if (writer == null || !writer.sealed().containsKey(replacement.bucketSequence())) {
            return "its index does not show sealed";
        }
        return null;
    }
}

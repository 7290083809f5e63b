package io.bucketlog.internal.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.store.FileLayout;
import io.bucketlog.internal.format.IndexEntry;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Which buckets of a window the brigade's "superseded" entries hide. An entry takes effect only
 * when its replacement checks out: the replacement bucket is in the window's listing and its
 * writer's index bucket says it was sealed (the brigade writes the replacement completely and
 * seals it before it commits). An entry whose replacement is missing or not sealed is reported,
 * and the buckets it names are read as if it did not exist: hiding them would lose their events.
 */
public final class Supersession {
    private Supersession() {
    }

    /**
     * The buckets to skip.
     *
     * @param indexes the window's index buckets by writer id
     * @param listed the names of the data bucket files listed in the window, over every root
     * @param indexFile where the index bucket of a writer id lies, for reports
     */
    public static Set<IndexEntry.BucketRef> hidden(Map<String, IndexView> indexes, Set<String> listed,
                                                   Function<String, Path> indexFile,
                                                   Consumer<CorruptionReport> reports) {
        Set<IndexEntry.BucketRef> hidden = new HashSet<>();
        for (Map.Entry<String, IndexView> byWriter : indexes.entrySet()) {
            for (Map.Entry<IndexEntry.BucketRef, IndexEntry.BucketRef> e
                    : byWriter.getValue().superseded().entrySet()) {
                IndexEntry.BucketRef replacement = e.getValue();
                String problem = problem(indexes, listed, replacement);
                if (problem == null) {
                    hidden.add(e.getKey());
                } else {
                    IndexEntry.BucketRef old = e.getKey();
                    reports.accept(new CorruptionReport(indexFile.apply(byWriter.getKey()), -1,
                            "a superseded entry replaces " + FileLayout.bucketFileName(
                                    old.bucketWindowStart(), old.writerId(), old.bucketSequence())
                            + " by " + FileLayout.bucketFileName(replacement.bucketWindowStart(),
                                    replacement.writerId(), replacement.bucketSequence())
                            + ", which " + problem + "; the replaced bucket is read"));
                }
            }
        }
        return hidden;
    }

    private static String problem(Map<String, IndexView> indexes, Set<String> listed,
                                  IndexEntry.BucketRef replacement) {
        String name = FileLayout.bucketFileName(replacement.bucketWindowStart(),
                replacement.writerId(), replacement.bucketSequence());
        if (!listed.contains(name)) {
            return "does not exist";
        }
        IndexView writer = indexes.get(replacement.writerId());
        if (writer == null || !writer.sealed().containsKey(replacement.bucketSequence())) {
            return "its index does not show sealed";
        }
        return null;
    }
}

package io.bucketlog.cli;

import io.bucketlog.Store;
import io.bucketlog.brigade.Brigade;
import io.bucketlog.brigade.PruneSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bucketlog prune STORE --stream S --older-than 30d}: deletes old whole windows. */
@Command(name = "prune", mixinStandardHelpOptions = true, description = "Delete the whole index"
        + " windows of a stream that ended longer ago than --older-than: data, index and"
        + " everything else of each, on every directory of the store.")
final class PruneCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Option(names = "--stream", paramLabel = "STREAM", required = true, description = "The stream.")
    String stream;

    @Option(names = "--older-than", paramLabel = "DURATION", required = true,
            description = "Windows that ended longer ago than this, such as 30d.")
    String olderThan;

    @Option(names = "--dry-run", description = "Only list what would be deleted.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.openExisting();
             Brigade brigade = Brigade.builder(s).progress(step -> { }).build()) {
            PruneSummary p = brigade.prune(store.requireStream(s, stream),
                    CompactCommand.duration("--older-than", olderThan), dryRun);
            for (String w : p.windows()) {
                out.println((dryRun ? "would delete " : "deleted ") + stream + " " + w);
            }
            out.println((dryRun ? "would delete " : "deleted ") + p.windows().size() + " window(s), "
                    + p.objects() + " file(s), " + Sizes.bytes(p.bytes()));
        }
        return 0;
    }
}

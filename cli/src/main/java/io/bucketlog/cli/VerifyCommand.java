package io.bucketlog.cli;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Store;
import io.bucketlog.inspect.DamageReports;
import io.bucketlog.inspect.StoreInspector;
import io.bucketlog.inspect.Verification;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bucketlog verify STORE}: reads every file and reports every damaged block or entry. */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Read every file of the store and report each damaged block"
        + " or index entry with its location. Exits 1 if anything is damaged.")
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Mixin
    StreamSelection selection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // Each damaged place once, however often it is met (one edited stream.conf disagrees with
        // every bucket of its stream).
        DamageReports damage = new DamageReports();
        long buckets = 0;
        long indexes = 0;
        long events = 0;
        try (Store s = store.openExisting()) {
            StoreInspector inspector = StoreInspector.of(s);
            List<String> streams;
            if (selection.stream == null) {
                streams = inspector.streamDirectories(damage);
            } else if (inspector.hasStreamDirectory(selection.stream)) {
                streams = List.of(selection.stream); // checked even if its stream.conf is damaged
            } else {
                streams = selection.streams(store, s); // "no stream ...", naming the ones there are
            }
            try (Progress progress = new Progress(spec.commandLine().getErr(), "verified files")) {
                for (String name : streams) {
                    Verification v = inspector.verify(name, progress::update, damage);
                    buckets += v.dataBuckets();
                    indexes += v.indexFiles();
                    events += v.events();
                }
            }
        }
        var out = spec.commandLine().getOut();
        List<CorruptionReport> found = damage.reports();
        for (CorruptionReport r : found) {
            out.println("DAMAGED " + r.location() + (r.offset() >= 0 ? " @" + r.offset() : "") + ": "
                    + r.problem());
        }
        out.println("checked " + buckets + " data buckets and " + indexes
                + " index buckets, " + events + " readable events: " + (found.isEmpty()
                ? "no damage" : found.size() + " damaged " + (found.size() == 1 ? "place" : "places")));
        return damage.isEmpty() ? 0 : 1;
    }
}

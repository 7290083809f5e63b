package io.bucketlog.cli;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.backend.FileLayout;
import io.bucketlog.format.BlockEntry;
import io.bucketlog.format.IndexEntry;
import io.bucketlog.read.BucketFile;
import io.bucketlog.read.IndexFileReader;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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
    public Integer call() throws IOException {
        List<CorruptionReport> damage = new ArrayList<>();
        long buckets = 0;
        long indexes = 0;
        long events = 0;
        try (Store s = store.openExisting()) {
            FileLayout layout = s.layout();
            List<String> streams = selection.streams(store, s);
            List<StoreFiles.Window> all = new ArrayList<>();
            List<String> streamOf = new ArrayList<>();
            for (String name : streams) {
                for (StoreFiles.Window w : StoreFiles.windows(layout, name)) {
                    all.add(w);
                    streamOf.add(name);
                }
            }
            long total = 0;
            for (StoreFiles.Window w : all) {
                total += w.indexFiles().size() + w.bucketFiles().size();
            }
            long done = 0;
            try (Progress progress = new Progress(spec.commandLine().getErr(), "verified files")) {
                for (int i = 0; i < all.size(); i++) {
                    StoreFiles.Window w = all.get(i);
                    for (Path idx : w.indexFiles()) {
                        indexes++;
                        try {
                            IndexFileReader.read(idx, 0, new ArrayList<IndexEntry>(), damage::add);
                        } catch (NoSuchFileException gone) {
                            indexes--;
                        } catch (IOException e) {
                            damage.add(new CorruptionReport(idx, -1, "cannot read: " + e.getMessage()));
                        }
                        progress.update(++done, total);
                    }
                    for (Path b : w.bucketFiles()) {
                        buckets++;
                        events += verifyBucket(b, streamOf.get(i), damage);
                        progress.update(++done, total);
                    }
                }
            }
        }
        var out = spec.commandLine().getOut();
        for (CorruptionReport r : damage) {
            out.println("DAMAGED " + r.file() + (r.offset() >= 0 ? " @" + r.offset() : "") + ": "
                    + r.problem());
        }
        out.println("checked " + buckets + " data buckets and " + indexes + " index buckets, "
                + events + " readable events: " + (damage.isEmpty() ? "no damage"
                : damage.size() + " damaged " + (damage.size() == 1 ? "place" : "places")));
        return damage.isEmpty() ? 0 : 1;
    }

    private static long verifyBucket(Path path, String stream, List<CorruptionReport> damage) {
        FileLayout.BucketName name = FileLayout.parseBucketName(path.getFileName().toString());
        long events = 0;
        try (BucketFile f = BucketFile.open(path, name, damage::add)) {
            List<Event> sink = new ArrayList<>();
            for (BlockEntry block : f.blocks()) {
                f.readBlock(block, stream, null, 0, Long.MAX_VALUE, sink);
                events += sink.size();
                sink.clear();
            }
        } catch (NoSuchFileException gone) {
            return 0; // deleted since listed (retention)
        } catch (IOException e) {
            damage.add(new CorruptionReport(path, -1, "cannot read: " + e.getMessage()));
        }
        return events;
    }
}

package io.bucketlog.cli;

import io.bucketlog.BucketlogException;
import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.Names;
import io.bucketlog.Store;
import io.bucketlog.backend.file.ContainedFiles;
import io.bucketlog.internal.store.FileLayout;
import io.bucketlog.internal.store.StreamCatalog;
import io.bucketlog.internal.store.StreamHistory;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.read.BucketAgreement;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.read.BucketPlace;
import io.bucketlog.internal.read.IndexFileReader;
import io.bucketlog.internal.read.IndexView;
import io.bucketlog.internal.read.Supersession;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What {@code verify} checks: every file a query can touch, by the rules a query reads it with
 * ({@code stream.conf}; index buckets; the brigade's superseded entries and their replacements;
 * each data bucket's place, blocks, and agreement with its "sealed" index entry). Whatever a
 * query would skip or report is reported here, with its location.
 */
final class StreamCheck {
    private final Store store;
    private final Consumer<CorruptionReport> damage;
    long buckets;
    long indexes;
    long events;

    StreamCheck(Store store, Consumer<CorruptionReport> damage) {
        this.store = store;
        this.damage = damage;
    }

    /**
     * The streams to check: every directory of the first root with a stream's name, whether or
     * not its {@code stream.conf} can be read (one that cannot is damage, not "no stream").
     */
    static List<String> candidates(FileLayout layout, Consumer<CorruptionReport> damage) {
        TreeSet<String> names = new TreeSet<>();
        Path root = layout.root(0);
        try (DirectoryStream<Path> dir = ContainedFiles.list(root, ContainedFiles.IN_ROOT)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (Names.streamProblem(name) == null && !name.equals(FileLayout.STORE_FILE)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            damage.accept(new CorruptionReport(root, -1, "cannot list: " + e.getMessage()));
        }
        return new ArrayList<>(names);
    }

    /** Files checked: for the progress display. */
    void check(String stream, Progress progress) {
        Path conf = store.layout().streamConfig(stream);
        Optional<StreamHistory> config;
        try {
            config = new StreamCatalog(store.layout()).history(stream);
        } catch (BucketlogException e) {
            damage.accept(new CorruptionReport(conf, -1, e.getMessage()));
            return;
        }
        List<StoreFiles.Window> windows = StoreFiles.windows(store.layout(), stream, damage);
        if (config.isEmpty()) {
            if (!windows.isEmpty()) {
                damage.accept(new CorruptionReport(conf, -1, "missing: the stream's "
                        + windows.size() + " window directories cannot be read without it"));
            }
            return;
        }
        BucketPlace place = new BucketPlace(stream, config.get().indexWindowNanos());
        long total = 0;
        for (StoreFiles.Window w : windows) {
            total += w.indexFiles().size() + w.bucketFiles().size();
        }
        long done = 0;
        for (StoreFiles.Window w : windows) {
            Map<String, IndexView> views = new HashMap<>();
            for (Path idx : w.indexFiles()) {
                indexes++;
                List<IndexEntry> entries = new ArrayList<>();
                try {
                    IndexFileReader.read(idx, 0, entries, damage);
                    views.put(FileLayout.parseIndexName(idx.getFileName().toString()),
                            IndexView.EMPTY.plus(entries, List.of()));
                } catch (NoSuchFileException gone) {
                    indexes--;
                } catch (IOException e) {
                    damage.accept(new CorruptionReport(idx, -1, "cannot read: " + e.getMessage()));
                }
                progress.update(++done, total);
            }
            Set<String> listed = new HashSet<>();
            for (Path b : w.bucketFiles()) {
                listed.add(b.getFileName().toString());
            }
            Supersession.hidden(views, listed,
                    writer -> store.layout().indexFile(stream, w.start(), writer), damage);
            for (Path b : w.bucketFiles()) {
                buckets++;
                FileLayout.BucketName name = FileLayout.parseBucketName(b.getFileName().toString());
                IndexView view = views.get(name.writerId());
                events += bucket(b, name, place, config.get(),
                        view == null ? null : view.sealed().get(name.sequence()));
                progress.update(++done, total);
            }
        }
    }

    private long bucket(Path path, FileLayout.BucketName name, BucketPlace place,
                        StreamHistory config, IndexEntry.Sealed sealed) {
        long count = 0;
        int[] reports = {0};
        Consumer<CorruptionReport> counting = r -> {
            reports[0]++;
            damage.accept(r);
        };
        try (BucketFile f = BucketFile.open(path, name, place, counting)) {
            String width = BucketAgreement.withConfig(f, config);
            if (width != null) {
                damage.accept(new CorruptionReport(store.layout().streamConfig(place.stream()), -1,
                        width));
            }
            String disagreement = sealed == null ? null : BucketAgreement.withIndex(f, sealed);
            if (disagreement != null && reports[0] == 0) {
                counting.accept(new CorruptionReport(path, Math.min(sealed.footerOffset(), f.size()),
                        disagreement));
            }
            List<Event> sink = new ArrayList<>();
            for (BlockEntry block : f.blocks()) {
                f.readBlock(block, place.stream(), null, 0, Long.MAX_VALUE, sink);
                count += sink.size();
                sink.clear();
            }
        } catch (NoSuchFileException gone) {
            buckets--; // deleted since listed (retention)
        } catch (IOException e) {
            damage.accept(new CorruptionReport(path, -1, "cannot read: " + e.getMessage()));
        }
        return count;
    }
}

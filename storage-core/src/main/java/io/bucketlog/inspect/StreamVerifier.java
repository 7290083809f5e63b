package io.bucketlog.inspect;

import io.bucketlog.BucketlogException;
import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.index.BucketCatalog;
import io.bucketlog.internal.index.BucketPlace;
import io.bucketlog.internal.index.WindowBuckets;
import io.bucketlog.internal.read.BucketAgreement;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.read.ReadCache;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StreamCatalog;
import io.bucketlog.internal.store.StreamHistory;
import io.bucketlog.spi.NoSuchObjectException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What {@code verify} checks: every object a query can touch, by the rules a query reads it with
 * ({@code stream.conf}; index files; the compactor's superseded entries and their replacements;
 * each data bucket's place, blocks, and agreement with its "sealed" index entry). Whatever a
 * query would skip or report is reported here, with its location.
 */
final class StreamVerifier {
    private final StoreLayout layout;
    private final BucketCatalog catalog;
    private final Consumer<CorruptionReport> damage;
    private long buckets;
    private long indexes;
    private long events;

    StreamVerifier(StoreLayout layout, Consumer<CorruptionReport> damage) {
        this.layout = layout;
        this.catalog = new BucketCatalog(layout, ReadCache.NONE.indexes());
        this.damage = damage;
    }

    Verification check(String stream, Progress progress) {
        String conf = layout.volume(0).locationOf(StoreLayout.streamConfig(stream));
        Optional<StreamHistory> config;
        try {
            config = new StreamCatalog(layout).history(stream);
        } catch (BucketlogException e) {
            damage.accept(new CorruptionReport(conf, -1, e.getMessage()));
            return result();
        }
        TreeSet<Long> starts = catalog.existingWindows(stream, damage);
        if (config.isEmpty()) {
            if (!starts.isEmpty()) {
                damage.accept(new CorruptionReport(conf, -1, "missing: the stream's "
                        + starts.size() + " window directories cannot be read without it"));
            }
            return result();
        }
        if (config.get().indexWindowProblem() != null) {
            damage.accept(new CorruptionReport(conf, -1, config.get().indexWindowProblem()));
        }
        long indexWindow = config.get().indexWindowNanos();
        BucketPlace place = new BucketPlace(stream, indexWindow);
        List<WindowBuckets> windows = new ArrayList<>();
        long total = 0;
        WindowBuckets rollUps = catalog.rollUps(stream, indexWindow, damage);
        windows.add(rollUps);
        total += rollUps.indexFiles().size() + rollUps.buckets().size();
        for (long start : starts) {
            WindowBuckets w = catalog.window(stream, start, indexWindow, rollUps, damage);
            windows.add(w);
            total += w.indexFiles().size() + w.buckets().size();
        }
        long done = 0;
        for (WindowBuckets w : windows) {
            indexes += w.indexFiles().size();
            done += w.indexFiles().size();
            progress.update(done, total);
            for (WindowBuckets.Bucket b : w.buckets()) {
                buckets++;
                events += bucket(b, place, config.get(), conf);
                progress.update(++done, total);
            }
        }
        return result();
    }

    private Verification result() {
        return new Verification(buckets, indexes, events);
    }

    private long bucket(WindowBuckets.Bucket b, BucketPlace place, StreamHistory config,
                        String conf) {
        long count = 0;
        int[] reports = {0};
        Consumer<CorruptionReport> counting = r -> {
            reports[0]++;
            damage.accept(r);
        };
        try (BucketFile f = BucketFile.open(b.object(), b.name(), place, counting)) {
            String width = BucketAgreement.withConfig(f, config);
            if (width != null) {
                damage.accept(new CorruptionReport(conf, -1, width));
            }
            String disagreement = b.sealed() == null ? null
                    : BucketAgreement.withIndex(f, b.sealed());
            if (disagreement != null && reports[0] == 0) {
                counting.accept(new CorruptionReport(f.location(),
                        Math.min(b.sealed().footerOffset(), f.size()), disagreement));
            }
            List<Event> sink = new ArrayList<>();
            for (BlockEntry block : f.blocks()) {
                f.readBlock(block, place.stream(), null, 0, Long.MAX_VALUE, sink);
                count += sink.size();
                sink.clear();
            }
        } catch (NoSuchObjectException gone) {
            buckets--; // deleted since listed (retention)
        } catch (IOException e) {
            damage.accept(new CorruptionReport(b.object().location(), -1,
                    "cannot read: " + e.getMessage()));
        }
        return count;
    }
}

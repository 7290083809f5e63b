package io.bucketlog.brigade;

import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Deletes whole index windows: every object of the window directory on every volume (data
 * buckets first, then index buckets, commits and claims) and the damaged inputs kept aside for it.
 * A window is expired when all of it is older than the age: its end lies before now minus the
 * age. Readers already treat a file that vanished since their listing as gone, not as damage.
 * The empty directories stay (the SPI deletes objects, not prefixes); readers skip them.
 */
final class WindowRetention {
    private final EngineView view;

    WindowRetention(EngineView view) {
        this.view = view;
    }

    /** What expiring a window deletes (or would). */
    record Expired(String stream, long indexWindowStart, List<String> objects, long bytes) {
    }

    /** Whether the whole index window ends at or before {@code cutoffNanos}. */
    static boolean expired(long indexWindowStart, long indexWidthNanos, long cutoffNanos) {
        return indexWindowStart + indexWidthNanos <= cutoffNanos;
    }

    /**
     * Deletes a window, or only says what it would delete.
     *
     * @param dryRun list without deleting
     */
    Expired expire(String stream, long indexWindowStart, boolean dryRun) throws IOException {
        List<Target> targets = new ArrayList<>();
        long bytes = 0;
        String[] prefixes = {EngineView.windowPrefix(stream, indexWindowStart),
                WindowMerge.damagedName(stream, indexWindowStart, "")};
        for (int v = 0; v < view.volumes().size(); v++) {
            Storage s = view.volumes().get(v);
            for (String prefix : prefixes) {
                for (String entry : s.list(prefix)) {
                    var version = entry.endsWith("/") ? null : s.stat(prefix + entry);
                    if (version != null && version.isPresent()) {
                        bytes += version.get().size();
                        targets.add(new Target(v, prefix + entry,
                                StoreLayout.parseBucketName(entry) != null));
                    }
                }
            }
        }
        // Data first: a window whose deletion stops half-way keeps the index of what is left.
        targets.sort(Comparator.comparing(t -> !t.data()));
        if (!dryRun) {
            for (Target t : targets) {
                view.volumes().get(t.volume()).delete(t.name());
            }
        }
        return new Expired(stream, indexWindowStart, targets.stream().map(Target::name).toList(),
                bytes);
    }

    /**
     * Deletes (or lists) every window of a stream that ends at or before {@code cutoffNanos}.
     *
     * @param progress told of each window deleted
     */
    PruneSummary prune(String stream, long indexWidthNanos, long cutoffNanos, boolean dryRun,
                       Consumer<BrigadeStep> progress) throws IOException {
        List<String> windows = new ArrayList<>();
        int objects = 0;
        long bytes = 0;
        for (long window : view.indexWindows(stream, new ArrayList<>())) {
            if (!expired(window, indexWidthNanos, cutoffNanos)) {
                continue;
            }
            Expired e = expire(stream, window, dryRun);
            if (e.objects().isEmpty()) {
                continue; // an empty directory left by an earlier expiry
            }
            String name = StoreLayout.windowName(window);
            windows.add(name);
            objects += e.objects().size();
            bytes += e.bytes();
            if (!dryRun) {
                progress.accept(new BrigadeStep(BrigadeStep.Kind.WINDOW_EXPIRED, stream, name,
                        e.objects().size(), 0, e.bytes()));
            }
        }
        return new PruneSummary(stream, windows, objects, bytes, dryRun);
    }

    private record Target(int volume, String name, boolean data) {
    }
}

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
     * Deletes (or only lists) the roll-ups of the roll-up area that end at or before
     * {@code cutoffNanos}, with the commits that name them (first: a commit whose roll-up is
     * gone would be reported by readers) and their damaged copies. A roll-up is deleted only
     * when all of it is older than the cutoff, and after the windows it covers, which are
     * older still, so nothing it replaced is read again.
     */
    Expired expireRollUps(WindowListing area, long cutoffNanos, boolean dryRun) throws IOException {
        String stream = area.stream();
        String prefix = EngineView.windowPrefix(stream, StoreLayout.ROLL_UP_AREA);
        List<Target> targets = new ArrayList<>();
        long bytes = 0;
        List<ListedBucket> all = new ArrayList<>(area.buckets());
        all.addAll(area.uncommitted());
        for (ListedBucket b : all) {
            if (b.name().windowStart() + b.name().rollUpWidthNanos() > cutoffNanos) {
                continue;
            }
            area.commits().forEach((hex, c) -> {
                if (c.replacement().equals(b.ref())) {
                    targets.add(new Target(0, Commits.timeName(prefix, hex), false));
                    targets.add(new Target(0, Commits.commitName(prefix, hex), false));
                }
            });
            targets.add(new Target(b.volume(), b.objectName(stream), true));
            bytes += b.bytes();
            String copy = WindowMerge.damagedName(stream, StoreLayout.ROLL_UP_AREA, b.fileName());
            if (view.volumes().get(b.volume()).stat(copy).isPresent()) {
                targets.add(new Target(b.volume(), copy, true));
            }
        }
        if (!dryRun) {
            for (Target t : targets) {
                view.volumes().get(t.volume()).delete(t.name());
            }
        }
        return new Expired(stream, StoreLayout.ROLL_UP_AREA, targets.stream().map(Target::name)
                .toList(), bytes);
    }

    /**
     * Deletes (or lists) every window of a stream that ends at or before {@code cutoffNanos},
     * then the roll-ups that do.
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
        Expired rolled = expireRollUps(view.list(stream, StoreLayout.ROLL_UP_AREA,
                new ArrayList<>()), cutoffNanos, dryRun);
        if (!rolled.objects().isEmpty()) {
            windows.add(StoreLayout.ROLL_UP_DIRECTORY);
            objects += rolled.objects().size();
            bytes += rolled.bytes();
            if (!dryRun) {
                progress.accept(new BrigadeStep(BrigadeStep.Kind.WINDOW_EXPIRED, stream,
                        StoreLayout.ROLL_UP_DIRECTORY, rolled.objects().size(), 0, rolled.bytes()));
            }
        }
        return new PruneSummary(stream, windows, objects, bytes, dryRun);
    }

    private record Target(int volume, String name, boolean data) {
    }
}

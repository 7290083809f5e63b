package io.bucketlog.brigade;

import io.bucketlog.CorruptionReport;
import io.bucketlog.StreamConfig;
import io.bucketlog.internal.store.StoreLayout;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A pass's work on a stream's roll-up area, after every window: retention of roll-ups whose whole
 * span ended before it (the windows they cover are gone by then), cleanup of its commits (whose
 * inputs lie in many directories, listed here on demand), then the roll-ups wider than an index
 * window, level by level, each level planned on listings taken after the level before.
 */
final class RollUpAreaPass {
    /** Carries out one unit as every merge is (see {@link WindowMerge}). */
    @FunctionalInterface
    interface Runner {
        void run(WorkUnit unit, WindowListing area) throws IOException;
    }

    private final EngineView view;
    private final RollUpPlan plan;
    private final Clock clock;
    private final boolean applyRetention;
    private final Consumer<BrigadeStep> progress;

    RollUpAreaPass(EngineView view, RollUpPlan plan, Clock clock, boolean applyRetention,
                   Consumer<BrigadeStep> progress) {
        this.view = view;
        this.plan = plan;
        this.clock = clock;
        this.applyRetention = applyRetention;
        this.progress = progress;
    }

    void pass(String stream, StreamConfig config, long target, Tally tally, GraceCleanup cleanup,
              WindowRetention retention, Runner runner, BooleanSupplier closed) throws IOException {
        long area = StoreLayout.ROLL_UP_AREA;
        String name = StoreLayout.ROLL_UP_DIRECTORY;
        List<CorruptionReport> damage = new ArrayList<>();
        WindowListing listing = view.list(stream, area, damage);
        long now = clock.millis();
        if (applyRetention && config.retention().isPresent()) {
            WindowRetention.Expired e = retention.expireRollUps(listing,
                    now * 1_000_000L - config.retention().get().toNanos(), false);
            if (!e.objects().isEmpty()) {
                tally.bytesDeleted += e.bytes();
                step(BrigadeStep.Kind.WINDOW_EXPIRED, stream, name, e.objects().size(), e.bytes());
                listing = view.list(stream, area, damage);
            }
        }
        Map<Long, WindowListing> homes = new HashMap<>();
        RollUpPlan.Lister lister = w -> {
            WindowListing l = homes.get(w);
            if (l == null) {
                // Damage there was counted when the window itself was passed over.
                l = view.list(stream, w, new ArrayList<>());
                homes.put(w, l);
            }
            return l;
        };
        WindowListing areaListing = listing;
        long indexWidth = config.indexWindowNanos();
        GraceCleanup.Done cleaned = cleanup.clean(listing, now, input -> areaListing.buckets()
                .stream().anyMatch(b -> b.ref().equals(input)) ? areaListing
                : lister.list(StoreLayout.windowStart(input.bucketWindowStart(), indexWidth)));
        if (cleaned.commits() > 0) {
            tally.inputsDeleted += cleaned.buckets();
            tally.bytesDeleted += cleaned.bytes();
            step(BrigadeStep.Kind.INPUTS_DELETED, stream, name, cleaned.buckets(), cleaned.bytes());
        }
        List<Long> windows = view.indexWindows(stream, damage);
        for (RollUpPlan.Level level : plan.levelsFor(config)) {
            homes.clear(); // merges of the level before changed the windows
            listing = view.list(stream, area, damage);
            for (WorkUnit unit : plan.plan(stream, config, level, target, clock.millis(), windows,
                    listing, lister)) {
                if (closed.getAsBoolean()) {
                    return;
                }
                runner.run(unit, listing);
            }
        }
        tally.damage.addAll(damage);
    }

    private void step(BrigadeStep.Kind kind, String stream, String window, int buckets, long bytes) {
        progress.accept(new BrigadeStep(kind, stream, window, buckets, 0, bytes));
    }
}

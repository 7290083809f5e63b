package io.bucketlog.brigade;

import io.bucketlog.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The brigade process of {@link BrigadeCrashTest}: passes over the store, one after another, until
 * it is killed. No grace, no lateness and no abandon age, so a kill can land anywhere: in a claim,
 * a merged bucket half written, between seal and commit, between commit and the deletes.
 */
public final class BrigadeCrashChild {
    private BrigadeCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        boolean wide = args.length > 1 && args[1].equals("wide");
        try (Store store = Store.openExisting(java.util.List.of(Path.of(args[0])));
             Brigade brigade = (wide ? rollingUp(store) : crashing(store)).build()) {
            System.out.println("STARTED");
            System.out.flush();
            while (true) {
                BrigadeSummary s = brigade.runOnce();
                System.out.println("PASS " + s.merges());
                System.out.flush();
            }
        }
    }

    /** How long a killed child's claim holds its unit. */
    static final Duration CLAIM_TTL = Duration.ofMinutes(15);
    /** How far ahead {@link #rollingUp} runs. */
    static final Duration ROLLING_UP_AHEAD = Duration.ofDays(1);

    /**
     * {@link #crashing} a day ahead, rolling two-hour spans up at once: every kill lands in a
     * roll-up wider than the index window (or its cleanup across window directories).
     */
    static Brigade.Builder rollingUp(Store store) {
        return crashing(store).clock(Clock.offset(Clock.systemUTC(), ROLLING_UP_AHEAD))
                .rollUpAfter(Duration.ZERO).rollUp(Duration.ofHours(2), Duration.ZERO);
    }

    static Brigade.Builder crashing(Store store) {
        return Brigade.builder(store).clock(Clock.systemUTC()).claimTtl(CLAIM_TTL).lateness(Duration.ZERO)
                .abandonAfter(Duration.ZERO).grace(Duration.ZERO).rollUpAfter(null)
                .targetBytes(16 * 1024).errors((m, c) -> {
                    System.err.println("brigade error: " + m + " " + c);
                });
    }
}

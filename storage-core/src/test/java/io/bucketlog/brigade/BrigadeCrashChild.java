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
        try (Store store = Store.openExisting(java.util.List.of(Path.of(args[0])));
             Brigade brigade = crashing(store).build()) {
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

    static Brigade.Builder crashing(Store store) {
        return Brigade.builder(store).clock(Clock.systemUTC()).claimTtl(CLAIM_TTL).lateness(Duration.ZERO)
                .abandonAfter(Duration.ZERO).grace(Duration.ZERO).rollUpAfter(null)
                .targetBytes(16 * 1024).errors((m, c) -> {
                    System.err.println("brigade error: " + m + " " + c);
                });
    }
}

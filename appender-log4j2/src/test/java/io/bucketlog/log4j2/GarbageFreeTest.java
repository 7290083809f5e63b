package io.bucketlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appender adds no allocation to the logging thread: a call that goes into the Bucketlog
 * ring allocates as many bytes as one that Log4j2 hands to its {@code Null} appender. (Log4j2
 * itself allocates a few bytes per event on some JVMs; that is the baseline, not ours. Its precise
 * clock's {@code Instant}, the one it allocates in some JIT states and not in others, is switched
 * off in this test's JVM: see the module's pom.) Bytes are counted by the JVM per thread, not
 * timed.
 */
class GarbageFreeTest {
    @TempDir
    Path dir;

    @Test
    void storingAnEventAllocatesNothingBeyondLog4j2Itself() {
        Integer order = 1_234_567;
        String user = "user-42";
        assertStoringAllocatesNothingBeyondLog4j2(dir, "gc", log -> log.info("order {} placed by {}", order, user));
    }

    /**
     * The same call into the Bucketlog appender and into a Null appender allocates the same. Each
     * kind of message is measured in a JVM of its own (see the module's pom): one kind's
     * formatting makes Log4j2's call sites polymorphic for the next.
     */
    static void assertStoringAllocatesNothingBeyondLog4j2(Path dir, String name, Consumer<Logger> call) {
        System.setProperty("bucketlog.dir", dir.toString());
        LoggerContext ctx = Stored.start(name, "garbage-free.xml");
        try {
            Logger stored = ctx.getLogger("stored");
            Logger discarded = ctx.getLogger("discarded");
            // Until C2 has compiled the call (escape analysis removes the interpreter's and C1's
            // temporary objects), both sides allocate more; on a loaded machine that can take
            // more than a few rounds, so rounds go on until the figures settle, up to a bound.
            // Each stored round is compared with the Null rounds just before and after it, never
            // with the best Null round of the run: what Log4j2 itself allocates can change
            // mid-run when the JIT recompiles its code, and it then changes for both sides. An
            // appender that really allocates never settles and fails after the last round.
            double excess = Double.MAX_VALUE;
            double baselineBefore = bytesPerCall(() -> call.accept(discarded));
            int rounds = 0;
            while (rounds < MIN_ROUNDS || rounds < MAX_ROUNDS && excess >= 1.0) {
                double storedBytes = bytesPerCall(() -> call.accept(stored));
                double baselineAfter = bytesPerCall(() -> call.accept(discarded));
                excess = Math.min(excess, storedBytes - Math.min(baselineBefore, baselineAfter));
                baselineBefore = baselineAfter;
                rounds++;
            }
            assertThat(excess)
                    .as("bytes per call beyond the Null appender's, best of %d rounds", rounds)
                    .isLessThan(1.0);
            assertThat(ctx.getConfiguration().<BucketlogAppender>getAppender("store").stats().appended())
                    .isEqualTo((long) rounds * CALLS);
        } finally {
            ctx.stop();
        }
    }

    private static double bytesPerCall(Runnable call) {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        return (mx.getCurrentThreadAllocatedBytes() - before) / (double) CALLS;
    }

    private static final int CALLS = 100_000;
    private static final int MIN_ROUNDS = 8;
    private static final int MAX_ROUNDS = 40;
}

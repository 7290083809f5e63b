package io.bucketlog.internal.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Durability;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.WriterOptions;
import io.bucketlog.WriterStats;
import io.bucketlog.internal.store.StreamCatalog;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the bucket writer with a clock whose wall time steps back and forward while its
 * monotonic time runs on: timed fsyncs and the sealing of idle buckets must go on as if nothing
 * happened, because every interval is measured on the monotonic clock.
 */
class WallClockStepTest {
    private static final long MS = 1_000_000L;
    private static final long HOUR_MS = 3_600_000L;

    /** Wall and monotonic time set by the test. */
    private static final class SteppingClock implements WriterClock {
        long wallMillis = 1_900_000_000_000L;
        long monotonicNanos = 5_000 * MS;

        void run(long millis) {
            wallMillis += millis;
            monotonicNanos += millis * MS;
        }

        @Override
        public long wallMillis() {
            return wallMillis;
        }

        @Override
        public long monotonicNanos() {
            return monotonicNanos;
        }
    }

    @TempDir
    Path dir;

    private final SteppingClock clock = new SteppingClock();
    private final WriterCounters counters = new WriterCounters();
    private final RingSlot slot = new RingSlot(1 << 20, 256, new LargeEventBudget(1 << 24));
    private long ringSequence;

    private BucketWriter writer(Store store) {
        store.createStream("s", StreamConfig.builder().bucketBytes(1 << 20)
                .bucketWidth(Duration.ofSeconds(1)).indexWindow(Duration.ofHours(1)).build());
        WriterOptions options = WriterOptions.builder().closeOnJvmShutdown(false)
                .durability(Durability.INTERVAL).fsyncInterval(Duration.ofMillis(500))
                .sealGrace(Duration.ofMillis(200)).blockLinger(Duration.ZERO).build();
        LossReporter losses = new LossReporter("w0", counters, options.lossListener(),
                options.errorListener(), options.lossReportInterval().toNanos(),
                clock.monotonicNanos());
        return new BucketWriter("w0", options, store.layout(), new StreamCatalog(store.layout()),
                counters, losses, clock, () -> ringSequence - 1);
    }

    /** One event stamped with the writer's wall clock, as an application would stamp it. */
    private void append(BucketWriter w) {
        slot.reset("s", 0);
        slot.key("k").timestampNanos(clock.wallMillis * MS).attribute("n", "v");
        w.onBatchStart(1, 1);
        w.onEvent(slot, ringSequence++, true);
    }

    /** Lets time pass on both clocks in ticks, as the writer thread's timeouts would. */
    private void idle(BucketWriter w, long millis) {
        for (long t = 0; t < millis; t += 50) {
            clock.run(50);
            w.onTimeout(ringSequence);
        }
    }

    private WriterStats stats() {
        return counters.snapshot();
    }

    @Test
    void aWallClockSteppedBackAnHourStopsNeitherFsyncsNorSeals() {
        try (Store store = Store.open(dir)) {
            BucketWriter w = writer(store);
            append(w);
            idle(w, 1_500); // its window ended 1 s in, plus 200 ms of grace
            long syncsBefore = w.syncRounds();
            assertThat(syncsBefore).isPositive();
            assertThat(stats().bucketsSealed()).isEqualTo(1);

            clock.wallMillis -= HOUR_MS;
            append(w);
            assertThat(stats().bucketsOpened()).isEqualTo(2);
            idle(w, 2_000);
            assertThat(w.syncRounds() - syncsBefore).as("one fsync round per 500 ms").isBetween(3L, 4L);
            assertThat(stats().bucketsSealed()).isEqualTo(2);

            // The clock steps back again after an event was stamped: the bucket's window now lies
            // an hour ahead of the wall clock. It is sealed after being idle for a whole width.
            append(w);
            clock.wallMillis -= HOUR_MS;
            idle(w, 600);
            assertThat(stats().bucketsSealed()).isEqualTo(2);
            idle(w, 1_000);
            assertThat(stats().bucketsSealed()).isEqualTo(3);
            w.onShutdown();
        }
    }

    @Test
    void aWallClockSteppedForwardNeitherSealsABucketStillInUseNorFsyncsEarly() {
        try (Store store = Store.open(dir)) {
            BucketWriter w = writer(store);
            append(w);
            clock.wallMillis += 10 * HOUR_MS;
            idle(w, 150); // less than the seal grace and the fsync interval
            assertThat(stats().bucketsSealed()).isZero();
            assertThat(w.syncRounds()).isZero();
            idle(w, 400);
            assertThat(stats().bucketsSealed()).isEqualTo(1);
            assertThat(w.syncRounds()).isEqualTo(1);
            w.onShutdown();
        }
    }
}

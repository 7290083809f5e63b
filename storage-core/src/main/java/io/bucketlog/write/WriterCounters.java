package io.bucketlog.write;

import io.bucketlog.WriterStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A writer's counters. Producer-side counts are {@link LongAdder}s (many threads, no contention);
 * the bucket writer keeps its own in plain fields and publishes them here once per batch, so the
 * hot path pays for no shared write per event.
 */
final class WriterCounters {
    final LongAdder appended = new LongAdder();
    final LongAdder dropped = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong sealed = new AtomicLong();

    void publish(long written, long rejected, long failed, long bytes, long opened, long sealed) {
        this.written.setRelease(written);
        this.rejected.setRelease(rejected);
        this.failed.setRelease(failed);
        this.bytes.setRelease(bytes);
        this.opened.setRelease(opened);
        this.sealed.setRelease(sealed);
    }

    WriterStats snapshot() {
        return new WriterStats(appended.sum(), dropped.sum(), rejected.getAcquire(),
                written.getAcquire(), failed.getAcquire(), bytes.getAcquire(), opened.getAcquire(),
                sealed.getAcquire());
    }
}

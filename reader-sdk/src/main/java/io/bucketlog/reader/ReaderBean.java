package io.bucketlog.reader;

import io.bucketlog.metrics.ReaderMXBean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A reader's counters and their JMX view. The caches and the scans of queries and histograms add
 * to them from any thread ({@link LongAdder}s: no contention between queries).
 */
final class ReaderBean implements ReaderMXBean {
    final LongAdder footerHits = new LongAdder();
    final LongAdder footerMisses = new LongAdder();
    final LongAdder indexHits = new LongAdder();
    final LongAdder indexMisses = new LongAdder();
    final LongAdder bytesRead = new LongAdder();
    /** Listings served from the listing cache, and listings made (not in the MXBean). */
    final LongAdder listingHits = new LongAdder();
    final LongAdder listingMisses = new LongAdder();
    /** Windows the catalog made and the window cache kept (not in the MXBean). */
    final LongAdder windowsMade = new LongAdder();
    private volatile String name = "";

    void name(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public long getFooterCacheHits() {
        return footerHits.sum();
    }

    @Override
    public long getFooterCacheMisses() {
        return footerMisses.sum();
    }

    @Override
    public long getIndexCacheHits() {
        return indexHits.sum();
    }

    @Override
    public long getIndexCacheMisses() {
        return indexMisses.sum();
    }

    @Override
    public long getBytesRead() {
        return bytesRead.sum();
    }
}

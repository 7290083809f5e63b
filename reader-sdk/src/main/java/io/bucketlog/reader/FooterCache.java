package io.bucketlog.reader;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bucketlog.internal.format.BucketFooter;
import io.bucketlog.internal.read.ReadCache;
import io.bucketlog.spi.ObjectVersion;

/**
 * Footers of sealed data buckets, shared by every query of a reader. A sealed bucket never
 * changes (the brigade writes new buckets instead of rewriting old ones), so a footer, once read
 * and CRC-checked, stays valid for as long as the object exists; it is kept by the object's
 * {@link ObjectVersion}, so a replaced object (another size or modification time) is never
 * served another's footer, and a deleted one is simply not listed any more. Bounded by an estimate of the footers' memory, least recently used first out.
 */
final class FooterCache implements ReadCache.Footers {
    private final Cache<ObjectVersion, ReadCache.CachedFooter> footers;
    private final ReaderBean counters;

    FooterCache(long maxBytes, ReaderBean counters) {
        this.counters = counters;
        this.footers = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((ObjectVersion v, ReadCache.CachedFooter f) -> f.footer() == null ? 64 : weight(f.footer()))
                .executor(Runnable::run) // evict on the caller's thread: bounded at every moment
                .build();
    }

    @Override
    public ReadCache.CachedFooter get(ObjectVersion bucket) {
        ReadCache.CachedFooter f = footers.getIfPresent(bucket);
        (f == null ? counters.footerMisses : counters.footerHits).increment();
        return f;
    }

    @Override
    public void put(ObjectVersion bucket, ReadCache.CachedFooter footer) {
        footers.put(bucket, footer);
    }

    /** Rough heap bytes of a parsed footer. */
    static int weight(BucketFooter f) {
        long w = 128 + (long) f.blocks().size() * (48 + 16); // an entry and its span
        for (int k = 0; k < f.keys().length; k++) {
            w += 80 + 2L * f.keys()[k].length() + 4L * f.keyBlocks()[k].length;
        }
        return (int) Math.min(Integer.MAX_VALUE, w);
    }

    /** Estimated heap bytes held now. */
    long weightedBytes() {
        footers.cleanUp();
        return footers.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    void clear() {
        footers.invalidateAll();
    }
}

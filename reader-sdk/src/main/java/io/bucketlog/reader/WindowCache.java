package io.bucketlog.reader;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bucketlog.internal.index.ListedWindow;
import io.bucketlog.internal.read.ReadCache;

/**
 * The windows the catalog last made, by directory, shared by every query of a reader: a query
 * whose listings (from the {@link ListingCache}) and index views (from the {@link IndexCache})
 * are the very objects a window was made of gets that window again instead of building it from
 * the names. {@link ListedWindow} says why that is the same window; the listing and index caches
 * decide, as before, when a listing or a view is current.
 *
 * <p>A kept window holds its index files' views, which the index cache may already have let go
 * (and which can then never match again). So the bound is in index files, like the index
 * cache's: each window weighs its number of index files (at least 1), least recently used out,
 * and the views kept alive through this cache are at most as many as the index cache holds.
 */
final class WindowCache implements ReadCache.Windows {
    private final Cache<String, ListedWindow> windows;
    private final ReaderBean counters;

    WindowCache(long maxIndexFiles, ReaderBean counters) {
        this.counters = counters;
        this.windows = Caffeine.newBuilder().maximumWeight(maxIndexFiles)
                .weigher((String prefix, ListedWindow w) -> Math.max(1, w.views().size()))
                .executor(Runnable::run).build();
    }

    @Override
    public ListedWindow get(String prefix) {
        return windows.getIfPresent(prefix);
    }

    @Override
    public void put(String prefix, ListedWindow window) {
        windows.put(prefix, window);
        counters.windowsMade.increment();
    }

    void clear() {
        windows.invalidateAll();
    }
}

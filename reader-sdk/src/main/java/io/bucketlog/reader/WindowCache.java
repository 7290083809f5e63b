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
 * decide, as before, when a listing or a view is current. Bounded by the number of directories,
 * least recently used out.
 */
final class WindowCache implements ReadCache.Windows {
    private final Cache<String, ListedWindow> windows;
    private final ReaderBean counters;

    WindowCache(long maxDirectories, ReaderBean counters) {
        this.counters = counters;
        this.windows = Caffeine.newBuilder().maximumSize(maxDirectories)
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

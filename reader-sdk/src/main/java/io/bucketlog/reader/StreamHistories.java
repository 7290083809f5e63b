package io.bucketlog.reader;

import io.bucketlog.Names;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StreamCatalog;
import io.bucketlog.internal.store.StreamHistory;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configuration histories a reader's queries run with, each kept with the listing of its
 * stream's directory that it was found after: while the {@link ListingCache} hands out that very
 * listing, no file was created in the directory, so no configuration version was added, and the
 * history is given without the catalog's per-call check for the next version (a {@code stat} of
 * a file that is nearly always absent, which on files is a failed {@code lstat} and an exception:
 * about a tenth of a short query's time, docs/PERFORMANCE.md).
 *
 * <p>Why a kept history is current: the listing was taken (or vouched for by its stamp) before
 * the catalog read the versions, so every version in the directory then is in the history. A
 * later call given the same listing object has the listing cache's word that the directory is
 * unchanged since that listing, so nothing was added between the read and the call (versions
 * are created, never removed). Any other listing, or none (the directory changed and its stamp
 * has not settled yet: {@link ListingCache#settledListing} lists it once when it has), asks the
 * catalog, as every call did before. A backend without stamps (an object store) has no listing
 * to compare, so every call asks the catalog there.
 */
final class StreamHistories {
    private record Kept(List<String> listing, StreamHistory history) {
    }

    private final StreamCatalog catalog;
    private final Storage volume;
    private final ListingCache listings;
    private final ConcurrentHashMap<String, Kept> kept = new ConcurrentHashMap<>();

    /** @param volume the volume that holds the streams' configurations (volume 0) */
    StreamHistories(StreamCatalog catalog, Storage volume, ListingCache listings) {
        this.catalog = catalog;
        this.volume = volume;
        this.listings = listings;
    }

    /** The stream's configurations, or empty if it has none (see {@link StreamCatalog}). */
    Optional<StreamHistory> history(String stream) {
        if (Names.streamProblem(stream) != null) {
            return Optional.empty();
        }
        List<String> listing;
        try {
            listing = listings.settledListing(volume, StoreLayout.streamPrefix(stream));
        } catch (IOException e) {
            listing = null; // the catalog's own read reports what is wrong there
        }
        Kept k = kept.get(stream);
        if (listing != null && k != null && k.listing() == listing) {
            return Optional.of(k.history());
        }
        Optional<StreamHistory> history = catalog.history(stream);
        if (listing != null && history.isPresent()) {
            kept.put(stream, new Kept(listing, history.get()));
        } else {
            kept.remove(stream);
        }
        return history;
    }

    void clear() {
        kept.clear();
    }
}

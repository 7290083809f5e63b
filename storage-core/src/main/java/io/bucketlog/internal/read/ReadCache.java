package io.bucketlog.internal.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.BucketFooter;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.index.IndexFileReader;
import io.bucketlog.internal.index.IndexView;
import io.bucketlog.internal.index.ListedWindow;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a {@link StreamScan} gets parsed index buckets, the footers of sealed data buckets and
 * the listings of window directories. A one-off scan ({@link #NONE}) reads each index bucket
 * whole, each footer from its object and lists every directory; a long-lived reader plugs in
 * caches shared by its queries (sealed footers never change, index buckets only grow, a listing
 * is kept while its directory's {@link Storage#listingStamp stamp} vouches for it).
 * Implementations must be safe for use by concurrent scans.
 *
 * @param indexes source of parsed index buckets
 * @param footers cache of sealed buckets' footers
 * @param listings source of directory listings
 * @param sealedOpens opens sealed buckets, perhaps from handles kept open
 * @param windows windows as the catalog last made them, to reuse while their inputs are the same
 */
public record ReadCache(Indexes indexes, Footers footers, Listings listings, SealedOpens sealedOpens,
                        Windows windows) {
    /** Caches nothing: every scan reads every file it needs from its start. */
    public static final ReadCache NONE = new ReadCache(ReadCache::readWhole, new Footers() {
        @Override
        public CachedFooter get(ObjectVersion bucket) {
            return null;
        }

        @Override
        public void put(ObjectVersion bucket, CachedFooter footer) {
            // nothing kept
        }
    }, Storage::list, (object, version) -> object.openRead(), new Windows() {
        @Override
        public ListedWindow get(String prefix) {
            return null;
        }

        @Override
        public void put(String prefix, ListedWindow window) {
            // nothing kept
        }
    });

    public ReadCache {
        Objects.requireNonNull(indexes, "indexes");
        Objects.requireNonNull(footers, "footers");
        Objects.requireNonNull(listings, "listings");
        Objects.requireNonNull(sealedOpens, "sealedOpens");
        Objects.requireNonNull(windows, "windows");
    }

    /**
     * Windows as the catalog last made them, by directory prefix; {@link ListedWindow} says when
     * one is reused.
     */
    public interface Windows {
        /** The window last kept for this prefix, or {@code null}. */
        ListedWindow get(String prefix);

        /** Keeps a window the catalog made without reporting anything. */
        void put(String prefix, ListedWindow window);
    }

    /**
     * Opens sealed buckets for reading. A sealed bucket never changes, so a reader may keep its
     * handle open between queries and hand it out again for the same object and version: the
     * catalog still decides which buckets a query reads, and the caller has just checked with a
     * {@link Storage#stat} that this version is at the name; the cache only saves the open.
     */
    @FunctionalInterface
    public interface SealedOpens {
        /**
         * A handle on {@code object} as of {@code version}; closing it gives it back.
         *
         * @throws io.bucketlog.spi.NoSuchObjectException if it is gone
         */
        ReadableObject open(StoreObject object, ObjectVersion version) throws IOException;
    }

    /** Names under a prefix of a volume, as {@link Storage#list} gives them. */
    @FunctionalInterface
    public interface Listings {
        /**
         * The names directly under {@code prefix}, current as of the call: a name created,
         * deleted or renamed before the call began is seen as it is now. The list is never
         * changed afterwards, by anyone: the catalog's kept windows ({@link Windows}) take the
         * same list object for the same names.
         */
        List<String> list(Storage volume, String prefix) throws IOException;
    }

    /** A view of an index bucket and how many bytes getting it read (0 when served from memory). */
    public record Refresh(IndexView view, long bytesRead) {
    }

    /** Parsed index buckets. */
    public interface Indexes {
        /**
         * The current view of an index bucket, which the catalog has just listed: a {@link
         * Storage#statListed} of it is enough to tell whether it changed.
         *
         * @throws io.bucketlog.spi.NoSuchObjectException if it is gone
         */
        Refresh refresh(StoreObject indexFile) throws IOException;
    }

    /**
     * A sealed bucket's footer and the size the object had. Or, with no footer, an object named
     * like a bucket that is none (no valid header and not one valid block): it is skipped, without
     * being read again, while its version stays the same.
     *
     * @param footer the footer, or {@code null} for an object that is not a bucket
     */
    public record CachedFooter(BucketFooter footer, long fileSize) {
    }

    /**
     * Footers of sealed data buckets, which never change once written, by the version of the
     * object they were read from: a replaced object has another version, so its footer is never
     * served for the new one.
     */
    public interface Footers {
        /** The footer of a sealed bucket, or {@code null} if it is not cached. */
        CachedFooter get(ObjectVersion bucket);

        /** Remembers the footer just read from a sealed bucket. */
        void put(ObjectVersion bucket, CachedFooter footer);
    }

    private static Refresh readWhole(StoreObject indexFile) throws IOException {
        List<IndexEntry> entries = new ArrayList<>();
        List<CorruptionReport> reports = new ArrayList<>();
        IndexFileReader.Progress p = IndexFileReader.read(indexFile, 0, entries, reports::add);
        return new Refresh(IndexView.EMPTY.plus(entries, reports), p.nextOffset());
    }
}

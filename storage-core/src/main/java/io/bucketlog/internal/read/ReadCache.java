package io.bucketlog.internal.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.BucketFooter;
import io.bucketlog.internal.format.IndexEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a {@link StreamScan} gets parsed index buckets and the footers of sealed data buckets. A
 * one-off scan ({@link #NONE}) reads each index bucket whole and each footer from its file; a
 * long-lived reader plugs in caches shared by its queries (sealed footers never change, index
 * buckets only grow). Implementations must be safe for use by concurrent scans.
 *
 * @param indexes source of parsed index buckets
 * @param footers cache of sealed buckets' footers
 */
public record ReadCache(Indexes indexes, Footers footers) {
    /** Caches nothing: every scan reads every file it needs from its start. */
    public static final ReadCache NONE = new ReadCache(ReadCache::readWhole, new Footers() {
        @Override
        public CachedFooter get(Path bucket) {
            return null;
        }

        @Override
        public void put(Path bucket, CachedFooter footer) {
            // nothing kept
        }
    });

    public ReadCache {
        Objects.requireNonNull(indexes, "indexes");
        Objects.requireNonNull(footers, "footers");
    }

    /** A view of an index bucket and how many bytes getting it read (0 when served from memory). */
    public record Refresh(IndexView view, long bytesRead) {
    }

    /** Parsed index buckets. */
    public interface Indexes {
        /**
         * The current view of an index bucket.
         *
         * @throws java.nio.file.NoSuchFileException if the file is gone
         */
        Refresh refresh(Path indexFile) throws IOException;
    }

    /**
     * A sealed bucket's footer and the size the file had: a file of another size under the same
     * name was replaced, and its cached footer is not used. Or, with no footer, a file named like
     * a bucket that is none (no valid header and not one valid block): it is skipped, without
     * being read again, while its size and modification time stay the same.
     *
     * @param footer the footer, or {@code null} for a file that is not a bucket
     * @param modifiedMillis the file's modification time, for a file that is not a bucket
     */
    public record CachedFooter(BucketFooter footer, long fileSize, long modifiedMillis) {
        /** A sealed bucket's footer. */
        public CachedFooter(BucketFooter footer, long fileSize) {
            this(footer, fileSize, 0);
        }
    }

    /** Footers of sealed data buckets, which never change once written. */
    public interface Footers {
        /** The footer of a sealed bucket, or {@code null} if it is not cached. */
        CachedFooter get(Path bucket);

        /** Remembers the footer just read from a sealed bucket. */
        void put(Path bucket, CachedFooter footer);
    }

    private static Refresh readWhole(Path indexFile) throws IOException {
        List<IndexEntry> entries = new ArrayList<>();
        List<CorruptionReport> reports = new ArrayList<>();
        IndexFileReader.Progress p = IndexFileReader.read(indexFile, 0, entries, reports::add);
        return new Refresh(IndexView.EMPTY.plus(entries, reports), p.nextOffset());
    }
}

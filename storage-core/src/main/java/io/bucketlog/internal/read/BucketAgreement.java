package io.bucketlog.internal.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.internal.store.StreamHistory;
import io.bucketlog.spi.NoSuchObjectException;
import java.io.IOException;
import java.util.function.Consumer;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.IndexEntry;
import java.time.Duration;

/**
 * What a data bucket must agree with besides itself: the "sealed" entry its index recorded, and
 * its stream's configuration. Queries and {@code verify} both check these, so that verify reports
 * whatever a query would.
 */
public final class BucketAgreement {
    private BucketAgreement() {
    }

    /**
     * How a bucket disagrees with what its index's "sealed" entry recorded, or {@code null}: a
     * sealed bucket must still have its trailer, its size and its count of events, and its blocks
     * must lie within the recorded time range. A crash cannot cause any of these, because
     * "sealed" is appended after the trailer is written.
     */
    public static String withIndex(BucketFile file, IndexEntry.Sealed recorded) {
        if (file.footer() == null) {
            return "the index says this bucket was sealed with " + recorded.fileBytes()
                    + " bytes, but it has " + file.size() + " and no valid trailer: truncated or"
                    + " damaged; its blocks were read by scanning";
        }
        if (file.size() != recorded.fileBytes()) {
            return "the index says this bucket was sealed with " + recorded.fileBytes()
                    + " bytes, but it has " + file.size();
        }
        long count = 0;
        for (BlockEntry b : file.blocks()) {
            count += b.count();
            if (b.minTimestamp() < recorded.minTimestamp() || b.maxTimestamp() > recorded.maxTimestamp()) {
                return "the block at " + b.offset() + " holds times outside the range the index"
                        + " recorded for this bucket";
            }
        }
        return count == recorded.count() ? null : "the index says this bucket was sealed with "
                + recorded.count() + " events, but its footer lists " + count;
    }

    /**
     * How the stream's configuration disagrees with a bucket's header about its width, or
     * {@code null}: a bucket is as wide as one of the stream's configuration versions says (a
     * late bucket as its index window). Readers plan windows and prune buckets by the configured
     * widths, so a {@code stream.conf} edited to other widths than its buckets were written with
     * can hide events; this is the sign of it.
     */
    public static String withConfig(BucketFile file, StreamHistory history) {
        if (file.header() == null) {
            return null;
        }
        return withConfig(file.object().fileName(), file.name(), file.header(), history);
    }

    /** {@link #withConfig(BucketFile, StreamHistory)} for a bucket known by its name and header. */
    public static String withConfig(String fileName, StoreLayout.BucketName name, BucketHeader header,
                                    StreamHistory history) {
        if (name.rollUpWidthNanos() > 0) {
            return null; // a roll-up's header width is checked against its name (BucketPlace)
        }
        // A compactor's merged bucket is as wide as a bucket, or (a roll-up) its index window.
        boolean wide = name.late() || (name.merged()
                && header.windowWidth() == history.indexWindowNanos());
        return withConfig(fileName, wide, header.windowWidth(), history);
    }

    /** {@link #withConfig(BucketFile, StreamHistory)} for a bucket known by its header alone. */
    public static String withConfig(String fileName, boolean late, long width, StreamHistory history) {
        if (late ? width == history.indexWindowNanos() : history.versions().stream()
                .anyMatch(c -> c.bucketWidthNanos() == width)) {
            return null;
        }
        return "the stream's configuration gives " + (late ? "late buckets (its index window) a width"
                + " of " + Duration.ofNanos(history.indexWindowNanos()) : "buckets widths of "
                + history.versions().stream().map(c -> c.bucketWidth().toString()).distinct().toList())
                + ", but bucket " + fileName + " was written with "
                + Duration.ofNanos(width)
                + ": stream.conf was edited or replaced, and queries by time may miss events";
    }

    /**
     * Whether an unsealed bucket holds nothing at or after {@code from}. Its file name and the
     * widest configured width usually tell, without reading it; but a hand-edited {@code
     * stream.conf} can give narrower widths than the bucket was written with, so a bucket the
     * name would rule out is ruled out only by the width its header gives (and the disagreement
     * is reported against {@code configLocation}). Sealed buckets need no such check: the index's
     * summary is their range. The scan and the tail both ask this.
     */
    public static boolean unsealedEndsBy(StoreObject p, StoreLayout.BucketName name, long from,
                                         StreamHistory history, String configLocation,
                                         Consumer<CorruptionReport> reports) {
        if (name.windowEnd(history.widestBucketWidthNanos(), history.indexWindowNanos()) > from) {
            return false; // a candidate by its name: whatever its width, it is opened
        }
        try {
            BucketHeader header = BucketFile.readHeader(p);
            if (header == null) {
                return false; // opening it reports why
            }
            if (name.windowStart() + header.windowWidth() > from) {
                return false; // opening it reports the disagreement with the configuration
            }
            String width = withConfig(p.fileName(), name.late(), header.windowWidth(), history);
            if (width != null) {
                reports.accept(new CorruptionReport(configLocation, -1, width));
            }
            return true;
        } catch (NoSuchObjectException e) {
            return true; // removed since the listing (retention, brigade)
        } catch (IOException e) {
            return false; // opening it reports why
        }
    }
}

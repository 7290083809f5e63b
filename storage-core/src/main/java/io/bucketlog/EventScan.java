package io.bucketlog;

import java.util.Iterator;
import java.util.List;

/**
 * The events of a scan in order, read lazily: windows, buckets and blocks are opened as the
 * iteration reaches them, so stopping early costs only what was read. Holds open files: close it
 * (try-with-resources). Damaged blocks and entries are skipped and listed in
 * {@link #corruptions()}; a torn tail of a bucket being written is not damage and is not listed.
 */
public interface EventScan extends Iterator<Event>, AutoCloseable {

    /** What the scan has touched so far. */
    ScanStats stats();

    /** Damage met so far. */
    List<CorruptionReport> corruptions();

    @Override
    void close();
}

package io.bucketlog.reader;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Direction;
import io.bucketlog.Event;
import io.bucketlog.ScanRequest;
import io.bucketlog.ScanStats;
import io.bucketlog.internal.store.StreamHistory;
import io.bucketlog.internal.read.StreamScan;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One run of a query: storage-core's {@link StreamScan} fed with the reader's caches, the query's
 * filters and cursor (both tested inside the scan, before merging) and the reader's corruption
 * listener; this class adds the limit and the resume cursor of the last event returned. Files are
 * released as soon as the limit is reached or the scan is exhausted.
 */
final class QueryExecution implements QueryResult {
    private final StreamScan scan;
    private final long limit;
    private long returned;
    private Event lastReturned;
    private Cursor cursor;
    private final Cursor resumedAfter;
    private final boolean storageOrder;
    private final ReaderBean counters;
    private boolean counted;

    QueryExecution(BucketlogReader reader, StreamHistory history, QuerySpec spec) {
        ScanRequest request = new ScanRequest(spec.stream(), spec.key(), spec.fromNanos(),
                spec.toNanos(), spec.forward() ? Direction.FORWARD : Direction.BACKWARD);
        this.scan = spec.storageOrder()
                ? StreamScan.inStorageOrder(reader.layout(), history, request, reader.readCache(),
                        spec::accepts, reader::reportCorruption)
                : new StreamScan(reader.layout(), history, request, reader.readCache(),
                        spec::accepts, reader::reportCorruption);
        this.storageOrder = spec.storageOrder();
        this.limit = spec.limit();
        this.resumedAfter = spec.after();
        this.counters = reader.counters();
    }

    @Override
    public boolean hasNext() {
        return returned < limit && scan.hasNext();
    }

    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Event e = scan.next();
        returned++;
        cursor = null;
        lastReturned = e;
        if (returned >= limit) {
            close();
        }
        return e;
    }

    @Override
    public Cursor cursor() {
        if (storageOrder) {
            throw new IllegalStateException("a query in storage order has no resume position:"
                    + " cursors are positions in time order");
        }
        if (lastReturned == null) {
            return resumedAfter; // an empty page leaves the position where it was
        }
        if (cursor == null) {
            cursor = Cursor.of(lastReturned);
        }
        return cursor;
    }

    @Override
    public QueryStats stats() {
        ScanStats s = scan.stats();
        return new QueryStats(s.windows(), s.indexFilesRead(), s.bucketsListed(),
                s.bucketsSkipped() + s.bucketsPrunedAfterOpen(), s.bucketsOpened(),
                s.footersFromCache(), s.blocksRead(), s.bytesRead() + s.indexBytesRead(),
                s.eventsReturned());
    }

    @Override
    public List<CorruptionReport> corruptions() {
        return scan.corruptions();
    }

    @Override
    public void close() {
        scan.close();
        if (!counted) {
            counted = true; // index bytes are counted by the index cache
            counters.bytesRead.add(scan.stats().bytesRead());
        }
    }
}

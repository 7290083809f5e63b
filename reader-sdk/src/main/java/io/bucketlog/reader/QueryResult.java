package io.bucketlog.reader;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The events of a query, in read order, read lazily: windows, buckets and blocks are opened as
 * iteration reaches them, so stopping early costs only what was read. Holds open files until
 * exhausted or closed: use try-with-resources. One thread at a time.
 *
 * <p>Damaged blocks and index entries are skipped and listed in {@link #corruptions()} (and sent to
 * the reader's {@link BucketlogReader.Builder#onCorruption corruption listener}); a torn tail of a
 * bucket being written is not damage.
 */
public interface QueryResult extends Iterator<Event>, AutoCloseable {

    /**
     * The position of the event last returned by {@link #next()}: a query {@linkplain
     * Query#after(Cursor) resumed} from it continues right after that event. Before the first
     * event (and so for an empty page) it is the cursor this query resumed after, or {@code null}
     * if it started at the beginning: passing it to the next query's {@link Query#after(Cursor)}
     * is always right, on the first, a middle, the last or an empty page.
     *
     * @throws IllegalStateException for a query in {@linkplain Query#storageOrder() storage
     *     order}, which has no resume position
     */
    Cursor cursor();

    /** What the query has touched so far. */
    QueryStats stats();

    /** Damage met so far. */
    List<CorruptionReport> corruptions();

    /** The remaining events as a stream; closing the stream closes this result. */
    default Stream<Event> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(this::close);
    }

    /** Releases the files; idempotent. Iteration then ends. */
    @Override
    void close();
}

package io.bucketlog;

import java.time.Duration;
import java.util.Map;

/**
 * Appends events to a store without waiting on I/O. Obtained from {@link Store#writer}; safe for
 * any number of threads. One writer is one process-incarnation's appender, identified by a random
 * {@link #writerId()}, so writers in many threads, processes or hosts never coordinate.
 *
 * <p>{@code append} places the event in a ring buffer and returns; a single bucket-writer thread
 * encodes events into blocks and hands each block to the OS at the end of every batch, normally
 * within milliseconds. When the ring is full, {@link WriterOptions#ringFullPolicy()} decides.
 * An event too large, with too many attributes or with a bad key is cut or escaped to fit the
 * limits, not refused. Problems met after {@code append} returned (full disk, unknown stream, a
 * timestamp too far in the future) are counted in {@link #stats()} by reason and reported to
 * {@link WriterOptions#errorListener()}; every loss is summed up in the reports to
 * {@link WriterOptions#lossListener()}.
 *
 * <pre>{@code
 * try (Store store = Store.open(Path.of("/var/lib/events"));
 *      Writer writer = store.writer()) {
 *     store.createStream("orders", StreamConfig.builder().bucketBytes(64 << 20).build());
 *     writer.append("orders", "user-42", System.currentTimeMillis() * 1_000_000L,
 *             Map.of("type", "created"), payload);
 * }
 * }</pre>
 */
public interface Writer extends AutoCloseable {

    /** This writer's id: 13 lowercase base-32 characters, random per writer. */
    String writerId();

    /**
     * Appends one event.
     *
     * @return {@code true} if it entered the ring, {@code false} if it was dropped (ring full
     *     under {@link RingFullPolicy#DROP} or {@link RingFullPolicy#DROP_BELOW}, or writer
     *     closed); either way it is counted in {@link WriterStats#appended()}
     */
    default boolean append(String stream, String key, long timestampNanos,
                           Map<String, String> attributes, byte[] body) {
        return append(stream, Integer.MAX_VALUE, EventFiller.SIMPLE,
                new EventFiller.Simple(key, timestampNanos, attributes, body));
    }

    /**
     * Appends one event by filling a preallocated slot in place: with a stateless {@code filler}
     * this allocates nothing. The filler runs on the calling thread and must not block; if it
     * throws, the event is discarded and the exception propagates.
     *
     * @param priority compared with {@link WriterOptions#dropBelowPriority()} when the ring is full
     * @return {@code true} if the event entered the ring
     */
    <A> boolean append(String stream, int priority, EventFiller<A> filler, A arg);

    /**
     * Waits until every event appended before this call is handed to the OS (and, under
     * {@link Durability#SYNC}, forced to disk), or counted as rejected or failed.
     *
     * @return {@code false} if the timeout passed first
     */
    boolean flush(Duration timeout);

    /** A snapshot of the counters. */
    WriterStats stats();

    /** The ring's free slots and the write lag, right now. */
    WriterBacklog backlog();

    /**
     * Stops accepting events, drains the ring within {@link WriterOptions#shutdownTimeout()},
     * seals every open bucket and releases the thread and files. Idempotent.
     */
    @Override
    void close();

    /**
     * {@link #close()}, waiting for the ring to drain at most {@code timeout} (or the
     * {@link WriterOptions#shutdownTimeout()}, whichever is shorter): for a framework that stops
     * its appenders within a deadline of its own. Events not written by then are counted as
     * dropped.
     */
    void close(Duration timeout);
}

package io.bucketlog.reader;

import io.bucketlog.Names;
import io.bucketlog.spi.Storage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A live tail of one stream (optionally one key), configured fluently and started with
 * {@link #iterator()} (blocking iterator) or {@link #listen(TailListener)} (callback thread).
 *
 * <pre>{@code
 * try (TailIterator tail = reader.tail("app-logs").iterator()) {
 *     while (tail.hasNext()) {
 *         LogRecord log = LogRecord.of(tail.next());
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <h2>What a tail guarantees</h2>
 * A tail polls the stream's files every {@linkplain #pollInterval poll interval}: the window
 * directories whose time range ends after <i>now − {@linkplain #lateness lateness}</i> (so it
 * sees buckets opened after it started, by any writer in any process), and the new block frames
 * of every bucket it follows, from where it last stopped.
 * <ul>
 *   <li><b>Exactly once.</b> Started from now, it delivers every event written (handed to the OS by
 *       its writer) after {@code iterator()}/{@code listen()} returned, once, provided the event's
 *       bucket window ended no earlier than <i>now − lateness</i> when the bucket was created. Events
 *       later than that (older timestamps) are not followed: query them. This holds while a
 *       brigade ({@code io.bucketlog.brigade}) merges the windows the tail follows, whatever its
 *       lateness: at a merge's commit the tail switches to the merged bucket and delivers from it
 *       only the events it has not delivered, by event id. (One corner: if the tail does not poll
 *       for longer than the brigade's grace while a merge of a bucket it found stored at its start
 *       is committed and the bucket deleted, that bucket's stored events can arrive, once.)</li>
 *   <li><b>Arrival order, not time order.</b> The events of one writer's bucket arrive in that
 *       writer's sequence (append) order; events found by one poll are handed out sorted by
 *       (writerId, sequence), those read from a merged bucket after them in its order (key, then
 *       time). A late event, or an event of a slower writer, may arrive after events with later
 *       timestamps.</li>
 *   <li><b>Resumable.</b> {@link TailIterator#cursor()} names exactly the events delivered so far;
 *       {@link #from(Cursor)} with it continues with exactly the others, also once the buckets it
 *       names have been merged and deleted. From an event position
 *       ({@link Cursor#of}) instead, it delivers every event that orders after that event, first
 *       those already stored (in arrival order), then new ones.</li>
 *   <li>Torn tails of buckets being written are waited for, not reported; damaged blocks are
 *       reported and skipped. A bucket is sealed only if its trailer names a footer whose CRC
 *       checks; then a bad frame before the footer is damage, reported, not a torn tail. A deleted
 *       bucket is dropped.</li>
 *   <li><b>Bounded.</b> A bucket whose window ended before <i>now − lateness</i> is forgotten
 *       once it is sealed and read to its footer, or once its size has not changed for the
 *       {@linkplain #idleGrace idle grace} period (default 10 min): a crashed writer's bucket
 *       never seals, and a bucket damaged at its end may never read to its footer. Events
 *       appended to a bucket after it was forgotten are not delivered; a live writer seals its
 *       buckets of ended windows after its {@code sealGrace} without writes, so keep the idle grace
 *       longer than that. The tail's memory and its {@linkplain TailIterator#cursor() cursor} thus
 *       hold only the buckets of the last <i>lateness</i> plus recently active ones, and the ids of
 *       the events delivered in their index windows, as runs of each writer's sequences (about one
 *       per writer and index window for a writer of one stream; more where it interleaves other
 *       streams or, for a tail of one key, other keys; at most 2<sup>20</sup>).</li>
 *   <li><b>Cursors are input.</b> Resuming from a tail cursor whose floor is later than now
 *       starts at now instead; a cursor naming an offset inside a bucket's header, or otherwise
 *       malformed or oversized, is rejected with {@link InvalidCursorException}.</li>
 * </ul>
 */
public final class Tail {
    /**
     * Default time between polls when no new data was found, on a store whose appends are
     * visible at once (files); on an object store the default is a quarter of its publish interval.
     */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(5);
    /** Default reach into the past for late events. */
    public static final Duration DEFAULT_LATENESS = Duration.ofHours(1);
    /** Default time a bucket below the floor may stay unchanged before it is forgotten. */
    public static final Duration DEFAULT_IDLE_GRACE = Duration.ofMinutes(10);

    private final BucketlogReader reader;
    private final String stream;
    private String key;
    private Cursor from;
    private Duration pollInterval;
    private Duration lateness = DEFAULT_LATENESS;
    private Duration idleGrace = DEFAULT_IDLE_GRACE;

    Tail(BucketlogReader reader, String stream) {
        this.reader = reader;
        this.stream = Names.checkStream(stream);
        this.pollInterval = defaultPollInterval(reader.layout().volumes());
    }

    /**
     * 5 ms, or a quarter of the longest publish interval of the store's volumes: on an object
     * store each poll is a few LIST and GET requests, billed, and new events arrive once per
     * publish interval; a quarter keeps a tail's p99 within twice the interval, where half missed
     * it narrowly on loopback (docs/PERFORMANCE.md, the S3 rows).
     */
    static Duration defaultPollInterval(List<Storage> volumes) {
        Duration poll = DEFAULT_POLL_INTERVAL;
        for (Storage v : volumes) {
            Duration quarter = v.publishInterval().dividedBy(4);
            poll = quarter.compareTo(poll) > 0 ? quarter : poll;
        }
        return poll;
    }

    /** Only events of this key. */
    public Tail key(String key) {
        this.key = Names.checkKey(Objects.requireNonNull(key, "key"));
        return this;
    }

    /** Starts at the moment the tail starts (the default). */
    public Tail fromNow() {
        this.from = null;
        return this;
    }

    /** Resumes from a tail cursor or starts after an event position; see the class comment. */
    public Tail from(Cursor cursor) {
        this.from = Objects.requireNonNull(cursor, "cursor");
        return this;
    }

    /** {@link #from(Cursor)} with a cursor's string form. */
    public Tail from(String cursor) {
        return from(Cursor.parse(cursor));
    }

    /**
     * How long to wait between polls that found nothing new (default 5 ms; on an object store
     * a quarter of its publish interval).
     */
    public Tail pollInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, was " + interval);
        }
        this.pollInterval = interval;
        return this;
    }

    /** How far behind now an event's bucket window may end and still be followed (default 1 h). */
    public Tail lateness(Duration lateness) {
        if (lateness.isNegative()) {
            throw new IllegalArgumentException("lateness must not be negative, was " + lateness);
        }
        this.lateness = lateness;
        return this;
    }

    /**
     * How long a bucket whose window ended before <i>now − lateness</i> may stay the same size
     * before the tail forgets it (default 10 min); see the class comment.
     */
    public Tail idleGrace(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("idleGrace must not be negative, was " + grace);
        }
        this.idleGrace = grace;
        return this;
    }

    /**
     * Starts the tail as a blocking iterator. Close it (try-with-resources).
     *
     * @throws io.bucketlog.UnknownStreamException if the stream does not exist
     * @throws InvalidCursorException if the cursor names an offset inside a bucket's header
     */
    public TailIterator iterator() {
        TailFollower follower = new TailFollower(reader, stream, key, from, lateness.toNanos(),
                idleGrace.toNanos(), TailFollower::systemNowNanos);
        TailIterator[] self = new TailIterator[1];
        self[0] = new TailIterator(follower, pollInterval, () -> reader.unregister(self[0]));
        reader.register(self[0]);
        return self[0];
    }

    /** Starts the tail on its own daemon thread, calling {@code listener} for each event. */
    public TailSubscription listen(TailListener listener) {
        Objects.requireNonNull(listener, "listener");
        TailSubscription s = new TailSubscription(iterator(), listener, "bucketlog-tail-" + stream);
        s.start();
        return s;
    }
}

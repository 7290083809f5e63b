package io.bucketlog.reader;

import io.bucketlog.Direction;
import io.bucketlog.Event;
import io.bucketlog.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A query of one stream, built fluently and run with {@link #iterator()}, {@link #stream()} or
 * {@link #list()}. Results come in read order: ascending (timestamp, writerId, sequence) going
 * {@linkplain #forward() forward}, descending going {@linkplain #backward() backward}, each event
 * once, whatever order the events were written in; or, when time order is not needed, in the
 * order the store holds them ({@link #storageOrder()}).
 *
 * <pre>{@code
 * try (Stream<Event> s = reader.query("orders").key("user-42")
 *         .between(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"))
 *         .attributeEquals("type", "created").stream()) {
 *     s.forEach(e -> System.out.println(e.bodyText()));
 * }
 * }</pre>
 *
 * A builder: not thread-safe, but each run is independent, so one query may be run many times.
 */
public final class Query {
    private final BucketlogReader reader;
    private final String stream;
    private String key;
    private long fromNanos = 0;
    private long toNanos = Long.MAX_VALUE;
    private Direction direction = Direction.FORWARD;
    private long limit = Long.MAX_VALUE;
    private boolean storageOrder;
    private Cursor after;
    private final List<Predicate<Event>> filters = new ArrayList<>();

    Query(BucketlogReader reader, String stream) {
        this.reader = reader;
        this.stream = Names.checkStream(stream);
    }

    /** Only events of this key (the default is every key). */
    public Query key(String key) {
        this.key = Names.checkKey(Objects.requireNonNull(key, "key"));
        return this;
    }

    /** Only events at or after this instant (inclusive). */
    public Query from(Instant from) {
        return fromNanos(nanos(from));
    }

    /** Only events before this instant (exclusive). */
    public Query to(Instant to) {
        return toNanos(nanos(to));
    }

    /** Only events in {@code [from, to)}. */
    public Query between(Instant from, Instant to) {
        return from(from).to(to);
    }

    /** Inclusive start of the time range, in nanoseconds since the epoch. */
    public Query fromNanos(long from) {
        if (from < 0) {
            throw new IllegalArgumentException("bad range: start " + from + " is before the epoch");
        }
        this.fromNanos = from;
        return this;
    }

    /** Exclusive end of the time range, in nanoseconds since the epoch. */
    public Query toNanos(long to) {
        if (to < 0) {
            throw new IllegalArgumentException("bad range: end " + to + " is before the epoch");
        }
        this.toNanos = to;
        return this;
    }

    /** Oldest first (the default). */
    public Query forward() {
        return direction(Direction.FORWARD);
    }

    /** Newest first. */
    public Query backward() {
        return direction(Direction.BACKWARD);
    }

    public Query direction(Direction direction) {
        this.direction = Objects.requireNonNull(direction, "direction");
        return this;
    }

    /**
     * Returns the events in the order the store holds them instead of by time: for exports,
     * counts and greps that need every matching event once but not in order, and skip the
     * sorting and merging a time-ordered read of a merged (compacted) window costs. Windows come
     * oldest first (a roll-up and the windows it spans as one); inside a window, bucket by bucket and block by block as stored (arrival order
     * in a writer's bucket, key then time in a merged one), so consecutive events need not be in
     * any order. Key, range, filters and {@link #limit} apply as usual (the limit keeps the first
     * events in this order). Every matching event is still returned exactly once: copies of an
     * event id in several buckets of a window are returned once. A window whose buckets could not
     * be de-duplicated in bounded memory (an unsealed bucket beside others, or over a million
     * events outside its largest bucket) is read in time order instead.
     *
     * <p>Such a query has no resume position: it cannot be combined with {@link #after(Cursor)} or
     * {@link #backward()}, and its result's {@link QueryResult#cursor()} throws.
     */
    public Query storageOrder() {
        this.storageOrder = true;
        return this;
    }

    /** At most this many events. */
    public Query limit(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        this.limit = limit;
        return this;
    }

    /**
     * Resumes after an event position (from {@link QueryResult#cursor()} or
     * {@link Cursor#of(Event)}): only events strictly after it in this query's direction.
     * {@code null} means from the start, so that the first page of a paged read needs no special
     * case.
     *
     * @throws InvalidCursorException if {@code cursor} is a tail cursor
     */
    public Query after(Cursor cursor) {
        if (cursor == null) {
            this.after = null;
            return this;
        }
        if (!cursor.isEventPosition()) {
            throw new InvalidCursorException("a tail cursor cannot resume a query; use the cursor"
                    + " of an event (Cursor.of(event) or QueryResult.cursor())");
        }
        this.after = cursor;
        return this;
    }

    /** {@link #after(Cursor)} with a cursor's string form; {@code null} means from the start. */
    public Query after(String cursor) {
        return after(cursor == null ? null : Cursor.parse(cursor));
    }

    /** Only events whose attribute {@code name} equals {@code value}. */
    public Query attributeEquals(String name, String value) {
        return filter(EventFilters.attributeEquals(name, value));
    }

    /** Only events whose attribute {@code name} starts with {@code prefix}. */
    public Query attributePrefix(String name, String prefix) {
        return filter(EventFilters.attributePrefix(name, prefix));
    }

    /**
     * Only log events at this level or above; see {@link EventFilters#minLevel}.
     *
     * @throws IllegalArgumentException for a name that is not a level
     */
    public Query minLevel(String level) {
        return filter(EventFilters.minLevel(level));
    }

    /** Only events whose body, read as UTF-8, contains {@code text}. */
    public Query bodyContains(String text) {
        return filter(EventFilters.bodyContains(text));
    }

    /** Only events {@code filter} accepts; every filter added must accept an event. */
    public Query filter(Predicate<Event> filter) {
        filters.add(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /**
     * Runs the query. Close the result (try-with-resources).
     *
     * @throws io.bucketlog.UnknownStreamException if the stream does not exist
     * @throws IllegalArgumentException if the time range ends before it starts
     */
    public QueryResult iterator() {
        return reader.run(spec());
    }

    /** Runs the query as a stream; close it (try-with-resources) to release the files. */
    public Stream<Event> stream() {
        return iterator().stream();
    }

    /** Runs the query and collects the results. */
    public List<Event> list() {
        List<Event> out = new ArrayList<>();
        try (QueryResult r = iterator()) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    /**
     * Counts this query's events per time bin, without returning them: bins of {@code binNanos}
     * from the start of the range to its end (the end must be set; the last bin may be cut short).
     * The limit and the direction are ignored. With no key, filter or cursor, blocks that fall in
     * one bin are counted from the block tables of buckets without being decoded, which is what
     * makes a day of a large stream cheap; see {@link Histogram#blocksCounted()}.
     *
     * @throws IllegalArgumentException if the range has no end, or makes more than
     *     {@link Histogram#MAX_BINS} bins
     * @throws io.bucketlog.UnknownStreamException if the stream does not exist
     */
    public Histogram histogram(long binNanos) {
        boolean everyEvent = key == null && filters.isEmpty() && after == null;
        return HistogramCount.run(reader, spec(), everyEvent, binNanos);
    }

    QuerySpec spec() {
        if (toNanos < fromNanos) {
            throw new IllegalArgumentException("bad range: it ends (" + toNanos
                    + ") before it starts (" + fromNanos + ")");
        }
        if (storageOrder && after != null) {
            throw new IllegalArgumentException("a query in storage order cannot resume after a"
                    + " cursor: cursors are positions in time order");
        }
        if (storageOrder && direction != Direction.FORWARD) {
            throw new IllegalArgumentException("a query in storage order has no direction; it reads"
                    + " windows oldest first");
        }
        long from = fromNanos;
        long to = toNanos;
        boolean forward = direction == Direction.FORWARD;
        if (after != null) {
            if (forward) {
                from = Math.max(from, after.timestampNanos());
            } else if (after.timestampNanos() < Long.MAX_VALUE) {
                to = Math.min(to, after.timestampNanos() + 1);
            }
            to = Math.max(from, to);
        }
        List<Predicate<Event>> fs = List.copyOf(filters);
        Predicate<Event> all = e -> {
            for (Predicate<Event> f : fs) {
                if (!f.test(e)) {
                    return false;
                }
            }
            return true;
        };
        return new QuerySpec(stream, key, from, to, forward, storageOrder, limit, all, after);
    }

    static long nanos(Instant t) {
        Objects.requireNonNull(t, "instant");
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("bad range: " + t + " is out of range", e);
        }
    }
}

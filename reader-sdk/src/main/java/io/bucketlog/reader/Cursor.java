package io.bucketlog.reader;

import io.bucketlog.Event;
import io.bucketlog.EventId;
import java.util.Objects;

/**
 * A resume point, serialisable to a short string with {@link #toString()} and read back with
 * {@link #parse(String)}. Two kinds exist:
 *
 * <ul>
 *   <li>An <b>event position</b>, {@link #of(Event)}: the event's place in the read order
 *       (timestamp, writerId, sequence). A query resumed from it returns exactly the events that
 *       order after it (forward) or before it (backward); a tail resumed from it delivers every
 *       event that orders after it. About 40 characters: {@code p1764165600000000000.k3x9q2b7wzm4a.17}.
 *   <li>A <b>tail position</b>, {@link TailIterator#cursor()}: how far a tail has read each bucket
 *       it follows and which events it delivered, so that a tail resumed from it continues without
 *       gaps or repeats, also once a compactor has merged and deleted those buckets. It grows with
 *       the number of buckets the tail follows (tens of bytes each) and the runs of delivered
 *       sequences (a few bytes each, usually a few per writer), which a tail keeps bounded (see
 *       {@link Tail}).
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class Cursor {
    private static final String POSITION = "p";
    private static final String MAX_SHOWN = "...";

    private final long timestampNanos;
    private final String writerId;
    private final long sequence;
    private final TailPosition tail;

    private Cursor(long timestampNanos, String writerId, long sequence, TailPosition tail) {
        this.timestampNanos = timestampNanos;
        this.writerId = writerId;
        this.sequence = sequence;
        this.tail = tail;
    }

    /** The position of {@code event}: resuming from it continues right after the event. */
    public static Cursor of(Event event) {
        return new Cursor(event.timestampNanos(), event.id().writerId(), event.id().sequence(),
                null);
    }

    static Cursor ofTail(TailPosition tail) {
        return new Cursor(0, null, 0, tail);
    }

    /**
     * Reads a cursor from its {@link #toString()} form.
     *
     * @throws InvalidCursorException if {@code text} is not a cursor
     */
    public static Cursor parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidCursorException("bad cursor: empty");
        }
        if (TailPosition.isTailCursor(text)) {
            return ofTail(TailPosition.decode(text));
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3 || !parts[0].startsWith(POSITION)) {
            throw new InvalidCursorException("bad cursor " + shown(text)
                    + ": expected p<timestamp>.<writerId>.<sequence> or a tail cursor");
        }
        try {
            long ts = Long.parseLong(parts[0].substring(POSITION.length()));
            long seq = Long.parseLong(parts[2]);
            if (ts < 0 || seq < 0 || !parts[1].matches("[0-9a-z]{1,64}")) {
                throw new InvalidCursorException("bad cursor " + shown(text)
                        + ": timestamp, writer id or sequence out of range");
            }
            return new Cursor(ts, parts[1], seq, null);
        } catch (NumberFormatException e) {
            throw new InvalidCursorException("bad cursor " + shown(text) + ": " + e.getMessage(), e);
        }
    }

    static String shown(String text) {
        return "\"" + (text.length() > 60 ? text.substring(0, 60) + MAX_SHOWN : text) + "\"";
    }

    /** Whether this is an event position (as opposed to a tail position). */
    public boolean isEventPosition() {
        return tail == null;
    }

    long timestampNanos() {
        return timestampNanos;
    }

    EventId eventId() {
        return new EventId(writerId, sequence);
    }

    TailPosition tail() {
        return tail;
    }

    /**
     * Compares an event with this position in forward read order: negative if the event orders
     * before it, 0 if it is the event, positive if after.
     */
    int compareEvent(Event e) {
        int c = Long.compare(e.timestampNanos(), timestampNanos);
        if (c != 0) {
            return c;
        }
        c = e.id().writerId().compareTo(writerId);
        return c != 0 ? c : Long.compare(e.id().sequence(), sequence);
    }

    /** The short string form, accepted by {@link #parse(String)}. */
    @Override
    public String toString() {
        if (tail != null) {
            return tail.encode();
        }
        return POSITION + timestampNanos + "." + writerId + "." + sequence;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cursor c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }
}

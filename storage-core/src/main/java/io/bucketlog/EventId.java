package io.bucketlog;

import java.util.Comparator;

/**
 * The identity of an event: the writer that appended it and that writer's sequence number. Two
 * copies of an event (for example one in an original bucket and one in a bucket the brigade merged
 * it into) have the same id, which is how readers remove duplicates. Together with the timestamp it
 * orders ties: events are read in (timestamp, writerId, sequence) order.
 *
 * @param writerId the writer's id, as returned by {@link Writer#writerId()}
 * @param sequence the writer's per-incarnation sequence number, from 0
 */
public record EventId(String writerId, long sequence) implements Comparable<EventId> {

    private static final Comparator<EventId> ORDER =
            Comparator.comparing(EventId::writerId).thenComparingLong(EventId::sequence);

    @Override
    public int compareTo(EventId other) {
        return ORDER.compare(this, other);
    }
}

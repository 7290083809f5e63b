package io.bucketlog.reader;

import io.bucketlog.Event;
import java.util.function.Predicate;

/**
 * A validated query: the range is already narrowed by the cursor, if any.
 *
 * @param after only events strictly after this position in the query's direction, or null
 * @param storageOrder whether events come in the order the store holds them ({@link
 *     Query#storageOrder()}); {@code forward} is then true and {@code after} null
 * @param filter attribute and body filters, all of which must hold
 */
record QuerySpec(String stream, String key, long fromNanos, long toNanos, boolean forward,
                 boolean storageOrder, long limit, Predicate<Event> filter, Cursor after) {

    boolean accepts(Event e) {
        if (after != null) {
            int c = after.compareEvent(e);
            if (forward ? c <= 0 : c >= 0) {
                return false;
            }
        }
        return filter.test(e);
    }
}

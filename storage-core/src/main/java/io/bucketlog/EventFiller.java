package io.bucketlog;

import java.util.Map;

/**
 * Fills a ring slot from the caller's data. A static, stateless filler with the data passed as
 * {@code arg} keeps the append path free of allocation.
 *
 * @param <A> what the slot is filled from
 */
@FunctionalInterface
public interface EventFiller<A> {
    void fill(A arg, EventSlot slot);

    /** The event of {@link Writer#append(String, String, long, Map, byte[])}. */
    record Simple(String key, long timestampNanos, Map<String, String> attributes, byte[] body) {
    }

    /** Fills a slot from a {@link Simple}. */
    EventFiller<Simple> SIMPLE = (e, slot) -> {
        slot.key(e.key() == null ? "" : e.key());
        slot.timestampNanos(e.timestampNanos());
        if (e.attributes() != null) {
            for (Map.Entry<String, String> a : e.attributes().entrySet()) {
                slot.attribute(a.getKey(), a.getValue());
            }
        }
        if (e.body() != null) {
            slot.body(e.body(), 0, e.body().length);
        }
    };
}

package io.bucketlog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One stored event as read back.
 *
 * @param stream the stream it belongs to
 * @param key its key; empty when it was written without one
 * @param timestampNanos event time in nanoseconds since the epoch
 * @param attributes small string attributes (level, logger, thread, context...), unmodifiable
 * @param body the payload; the array is the reader's own copy, compared by content in
 *     {@link #equals}
 * @param id the writer and sequence that identify it
 */
public record Event(
        String stream,
        String key,
        long timestampNanos,
        Map<String, String> attributes,
        byte[] body,
        EventId id) {

    /** Equal when every field is, the body compared by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && timestampNanos == e.timestampNanos && id.equals(e.id)
                && stream.equals(e.stream) && key.equals(e.key)
                && attributes.equals(e.attributes) && Arrays.equals(body, e.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, timestampNanos) * 31 + Arrays.hashCode(body);
    }

    /** The body decoded as UTF-8, as the log appenders write it. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** An attribute's value, or {@code null}. */
    public String attribute(String name) {
        return attributes.get(name);
    }
}

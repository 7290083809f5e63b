package io.bucketlog;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One stored event as read back.
 *
 * @param stream the stream it belongs to
 * @param key its key; empty when it was written without one
 * @param timestampNanos event time in nanoseconds since the epoch
 * @param attributes small string attributes (level, logger, thread, context...), unmodifiable
 * @param body the payload; the array is the reader's own copy
 * @param id the writer and sequence that identify it
 */
public record Event(
        String stream,
        String key,
        long timestampNanos,
        Map<String, String> attributes,
        byte[] body,
        EventId id) {

    /** The body decoded as UTF-8, as the log appenders write it. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** An attribute's value, or {@code null}. */
    public String attribute(String name) {
        return attributes.get(name);
    }
}

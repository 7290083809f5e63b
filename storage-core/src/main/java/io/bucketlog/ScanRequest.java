package io.bucketlog;

import java.util.Objects;

/**
 * What a scan reads: one stream, optionally one key, a time range, a direction.
 *
 * @param stream the stream
 * @param key only events of this key, or {@code null} for all keys
 * @param fromNanos inclusive start of the time range, nanoseconds since the epoch
 * @param toNanos exclusive end of the time range
 * @param direction the order of the results
 */
public record ScanRequest(String stream, String key, long fromNanos, long toNanos,
                          Direction direction) {
    public ScanRequest {
        Names.checkStream(stream);
        if (key != null) {
            Names.checkKey(key);
        }
        Objects.requireNonNull(direction, "direction");
        if (fromNanos < 0) {
            fromNanos = 0;
        }
        if (toNanos < fromNanos) {
            throw new IllegalArgumentException("time range ends (" + toNanos + ") before it starts ("
                    + fromNanos + ")");
        }
    }

    /** Every event of a stream, oldest first. */
    public static ScanRequest all(String stream) {
        return new ScanRequest(stream, null, 0, Long.MAX_VALUE, Direction.FORWARD);
    }
}

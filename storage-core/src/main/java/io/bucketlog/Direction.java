package io.bucketlog;

/** The order in which a scan returns events. */
public enum Direction {
    /** Oldest first: ascending (timestamp, writerId, sequence). */
    FORWARD,
    /** Newest first: descending (timestamp, writerId, sequence). */
    BACKWARD
}

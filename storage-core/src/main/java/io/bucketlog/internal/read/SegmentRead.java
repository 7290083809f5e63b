package io.bucketlog.internal.read;

import io.bucketlog.Event;

/** The events of one scan segment ({@link ScanSegments}), in the scan's order. */
interface SegmentRead {
    /** The next event, or {@code null} when the segment is exhausted. */
    Event next();
}

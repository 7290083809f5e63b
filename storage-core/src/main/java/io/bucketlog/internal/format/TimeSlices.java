package io.bucketlog.internal.format;

/**
 * How a merged bucket cuts its time range into slices: slice {@code i} holds the timestamps in
 * {@code [origin + i * width, origin + (i + 1) * width)}. Its blocks lie each in one slice, in
 * slice order, and hold their slice's records in (key, timestamp, writer, sequence) order; so a
 * scan in time order decodes one slice at a time, and a lookup of one key reads about one block
 * per slice that holds the key. Recorded in the footer (format 2, {@link BucketFooter}).
 *
 * @param origin where slice 0 starts (nanoseconds since the epoch)
 * @param width nanoseconds per slice, positive
 */
public record TimeSlices(long origin, long width) {
    public TimeSlices {
        if (width <= 0) {
            throw new IllegalArgumentException("slice width must be positive, was " + width);
        }
    }

    /**
     * The slice of {@code timestampNanos} (negative before the origin).
     *
     * @throws ArithmeticException if it is more than {@code Long.MAX_VALUE} from the origin
     */
    public long sliceOf(long timestampNanos) {
        return Math.floorDiv(Math.subtractExact(timestampNanos, origin), width);
    }
}

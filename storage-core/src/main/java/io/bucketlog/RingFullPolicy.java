package io.bucketlog;

/** What {@link Writer#append} does when the ring buffer has no free slot. */
public enum RingFullPolicy {
    /** Drop the event and count it; the caller never waits. The default. */
    DROP,
    /** Wait for a free slot: the caller may wait on the bucket writer's I/O. */
    BLOCK,
    /**
     * Drop events whose priority is below {@link WriterOptions#dropBelowPriority()}, wait for the
     * others: keep warnings and errors while shedding debug chatter.
     */
    DROP_BELOW
}

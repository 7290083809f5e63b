package io.bucketlog.metrics;

/**
 * A writer's counters and backlog in JMX, registered as {@code io.bucketlog:type=Writer,name=N}
 * while the writer is open. The counts are those of {@link io.bucketlog.WriterStats} (every
 * {@code append} in exactly one outcome) and {@link io.bucketlog.WriterBacklog}.
 */
public interface WriterMXBean {

    /** The name in the MBean's object name (the writer's name, made unique in this JVM). */
    String getName();

    String getWriterId();

    long getAppended();

    long getWritten();

    long getDroppedRingFull();

    long getDroppedClosed();

    long getRejectedTooLarge();

    long getRejectedInvalid();

    long getRejectedClockSkew();

    long getRejectedUnknownStream();

    long getFailedWrite();

    long getFailedError();

    long getTruncated();

    long getSanitised();

    long getBytesWritten();

    long getBucketsOpened();

    long getBucketsSealed();

    int getRingCapacity();

    long getRingRemaining();

    /** Age of the oldest event not yet handed to the operating system, 0 when there is none. */
    long getWriteLagNanos();
}

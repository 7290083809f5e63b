package io.bucketlog.internal.write;

import io.bucketlog.Writer;
import io.bucketlog.WriterStats;
import io.bucketlog.metrics.WriterMXBean;

/** A writer's JMX view: every attribute read is a fresh snapshot. */
final class WriterBean implements WriterMXBean {
    private final String name;
    private final Writer writer;

    WriterBean(String name, Writer writer) {
        this.name = name;
        this.writer = writer;
    }

    private WriterStats s() {
        return writer.stats();
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getWriterId() {
        return writer.writerId();
    }

    @Override
    public long getAppended() {
        return s().appended();
    }

    @Override
    public long getWritten() {
        return s().written();
    }

    @Override
    public long getDroppedRingFull() {
        return s().droppedRingFull();
    }

    @Override
    public long getDroppedClosed() {
        return s().droppedClosed();
    }

    @Override
    public long getRejectedTooLarge() {
        return s().rejectedTooLarge();
    }

    @Override
    public long getRejectedInvalid() {
        return s().rejectedInvalid();
    }

    @Override
    public long getRejectedClockSkew() {
        return s().rejectedClockSkew();
    }

    @Override
    public long getRejectedUnknownStream() {
        return s().rejectedUnknownStream();
    }

    @Override
    public long getFailedWrite() {
        return s().failedWrite();
    }

    @Override
    public long getFailedError() {
        return s().failedError();
    }

    @Override
    public long getTruncated() {
        return s().truncated();
    }

    @Override
    public long getSanitised() {
        return s().sanitised();
    }

    @Override
    public long getBytesWritten() {
        return s().bytesWritten();
    }

    @Override
    public long getBucketsOpened() {
        return s().bucketsOpened();
    }

    @Override
    public long getBucketsSealed() {
        return s().bucketsSealed();
    }

    @Override
    public int getRingCapacity() {
        return writer.backlog().ringCapacity();
    }

    @Override
    public long getRingRemaining() {
        return writer.backlog().ringRemaining();
    }

    @Override
    public long getWriteLagNanos() {
        return writer.backlog().writeLagNanos();
    }
}

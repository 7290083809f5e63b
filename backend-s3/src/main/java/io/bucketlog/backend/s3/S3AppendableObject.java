package io.bucketlog.backend.s3;

import io.bucketlog.spi.AppendableObject;
import java.io.IOException;
import java.util.Objects;

/**
 * The writer's handle on a growing object: appends go to its {@link SpoolEntry} on local disk
 * and return (never waiting on the network); the {@link Publisher} uploads them. {@link #sync()}
 * is the one call that waits for the store: it returns when everything appended before it is
 * uploaded, which is what durability {@code sync} means on an object store.
 */
final class S3AppendableObject implements AppendableObject {
    private final SpoolEntry entry;
    private final Spool spool;
    private final Publisher publisher;
    private final S3Options options;
    private final String location;
    private boolean closed;
    private boolean broken;

    S3AppendableObject(SpoolEntry entry, Spool spool, Publisher publisher, S3Options options, String location) {
        this.entry = entry;
        this.spool = spool;
        this.publisher = publisher;
        this.options = options;
        this.location = location;
    }

    @Override
    public String name() {
        return entry.name();
    }

    @Override
    public long size() {
        return entry.size();
    }

    @Override
    public void append(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureOpen();
        if (broken) {
            throw new IOException(location + ": broken by an earlier failed append; nothing more is appended");
        }
        if (length == 0) {
            return;
        }
        spool.reserve(length);
        try {
            entry.append(bytes, offset, length);
        } catch (IOException e) {
            spool.release(length);
            broken = !entry.cutBack();
            throw new IOException(location + ": cannot spool an append: " + e.getMessage(), e);
        }
    }

    @Override
    public void publish() throws IOException {
        ensureOpen();
        publisher.wake(entry);
    }

    @Override
    public void sync() throws IOException {
        ensureOpen();
        long target = entry.size();
        publisher.wake(entry);
        boolean done;
        try {
            done = entry.awaitPublished(target, options.syncTimeout().toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(location + ": interrupted while waiting for the upload", e);
        }
        if (!done) {
            throw new IOException(location + ": " + (entry.failure() != null ? entry.failure()
                    : (target - entry.published()) + " bytes not uploaded within " + options.syncTimeout()
                    + "; they stay spooled and are retried (last error: " + entry.lastError + ")"));
        }
    }

    /** Hands the object to the publisher to become one whole object; returns at once. */
    @Override
    public void seal() throws IOException {
        ensureOpen();
        entry.markSealed();
        close();
    }

    @Override
    public boolean isBroken() {
        return broken;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            entry.markHandleClosed();
            publisher.wake(entry);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(location + ": closed");
        }
    }
}

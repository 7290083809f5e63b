package io.bucketlog.backend.s3;

import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;
import java.util.Objects;

/**
 * Reads one object by ranged GETs. It keeps only what it can validate: the whole object's ETag
 * (every GET carries {@code If-Match}) or the growing object's immutable parts; it looks again
 * (HEAD, and LIST for parts) when asked for bytes past what it knows, and on {@link #size()}.
 *
 * <p>A growing object that is sealed meanwhile is read on from its whole object, whose bytes
 * are the same; one deleted, or replaced by another of the same name, fails with
 * {@link NoSuchObjectException}.
 */
final class S3ReadableObject implements ReadableObject {
    private final BucketClient client;
    private final ObjectLayout layout;
    private ObjectState state;

    S3ReadableObject(BucketClient client, ObjectLayout layout, ObjectState state) {
        this.client = client;
        this.layout = layout;
        this.state = state;
    }

    @Override
    public String name() {
        return state.name();
    }

    @Override
    public long size() throws IOException {
        refresh();
        return state.size();
    }

    @Override
    public ObjectVersion version() throws IOException {
        refresh();
        return state.version();
    }

    private String location() {
        return client.where(layout.headKey(state.name()));
    }

    /** Looks again; the object must still be the one this handle opened, at least as large. */
    private void refresh() throws IOException {
        for (int attempt = 0; ; attempt++) {
            ObjectState now = ObjectState.look(client, layout, state.name())
                    .orElseThrow(() -> new NoSuchObjectException(location()));
            boolean same = now.growing()
                    ? Objects.equals(now.incarnation(), state.incarnation())
                    : !state.growing() ? now.etag().equals(state.etag()) : now.size() >= state.size();
            if (same && now.size() >= state.size()) {
                state = now;
                return;
            }
            if (attempt > 0) {
                throw new NoSuchObjectException(location());
            }
            // a seal's parts may have gone between its HEAD and LIST: one more look settles it
        }
    }

    @Override
    public int read(long position, byte[] into, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, into.length);
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        if (length == 0) {
            return 0;
        }
        if (position + length > state.size()) {
            refresh();
        }
        if (position >= state.size()) {
            return 0;
        }
        int n = (int) Math.min(length, state.size() - position);
        for (int attempt = 0; ; attempt++) {
            try {
                readKnown(position, into, offset, n);
                return n;
            } catch (NoSuchObjectException | BucketClient.ChangedException e) {
                if (attempt > 0 || !state.growing()) {
                    throw new NoSuchObjectException(location());
                }
                refresh(); // a part gone: sealed (read on from the whole) or deleted (fails)
            }
        }
    }

    private void readKnown(long position, byte[] into, int offset, int n) throws IOException {
        if (!state.growing()) {
            readExactly(layout.headKey(state.name()), state.etag(), position, into, offset, n);
            return;
        }
        long at = position;
        int done = 0;
        for (ObjectLayout.Part p : state.parts()) {
            if (done == n) {
                break;
            }
            if (p.end() <= at) {
                continue;
            }
            int chunk = (int) Math.min(n - done, p.end() - at);
            readExactly(p.key(), p.etag(), at - p.start(), into, offset + done, chunk);
            done += chunk;
            at += chunk;
        }
    }

    private void readExactly(String key, String etag, long position, byte[] into, int offset, int n)
            throws IOException {
        int got = client.read(key, etag, position, into, offset, n);
        if (got != n) {
            throw new IOException(client.where(key) + ": " + got + " bytes at " + position + " where "
                    + n + " were listed");
        }
    }

    @Override
    public void close() {
        // nothing is held: every read is its own request on the storage's shared client
    }
}

package io.bucketlog.internal.write;

import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.Storage;
import java.io.IOException;

/**
 * An object that only this writer appends to ({@link AppendableObject}: all-or-nothing appends,
 * a broken flag), which it can park: close to free its descriptor, and later continue through
 * {@link Storage#reopen} at the size it left, which a late bucket needs.
 */
final class AppendFile implements AutoCloseable {
    private final Storage storage;
    private final String name;
    /** Null while parked. */
    private AppendableObject object;
    private long size;
    private boolean broken;

    private AppendFile(Storage storage, String name, AppendableObject object) {
        this.storage = storage;
        this.name = name;
        this.object = object;
        this.size = object.size();
    }

    /** Creates a new object; fails if it exists. */
    static AppendFile create(Storage storage, String name) throws IOException {
        return new AppendFile(storage, name, storage.create(name));
    }

    /** Opens an existing object of this writer, whose size it does not know, to append more. */
    static AppendFile reopen(Storage storage, String name) throws IOException {
        long size = storage.stat(name)
                .orElseThrow(() -> new io.bucketlog.spi.NoSuchObjectException(storage.locationOf(name)))
                .size();
        return reopen(storage, name, size);
    }

    /**
     * Opens an existing object of this writer that it closed at {@code size}. Where appends are
     * not visible at once (an object store), {@code stat} reports only what was published, so a
     * writer that closed an object continues it at the size it knows, not the one it sees.
     */
    static AppendFile reopen(Storage storage, String name, long size) throws IOException {
        return new AppendFile(storage, name, storage.reopen(name, size));
    }

    /** The name it was created by. */
    String name() {
        return name;
    }

    /** Where it is, for messages. */
    String location() {
        return storage.locationOf(name);
    }

    long size() {
        return size;
    }

    boolean isBroken() {
        return broken || (object != null && object.isBroken());
    }

    /** Appends all of {@code data}. On failure the object keeps its previous content. */
    void append(ByteSink data) throws IOException {
        if (isBroken()) {
            throw new IOException(location() + " is unusable after an earlier write error");
        }
        object.append(data.array(), 0, data.size());
        size = object.size();
    }

    /**
     * Closes the object but keeps its state; {@link #resume} reopens it. The caller syncs first
     * if its durability needs it: a parked object cannot be forced.
     */
    void park() throws IOException {
        AppendableObject o = object;
        object = null;
        if (o != null) {
            o.close();
        }
    }

    boolean isParked() {
        return object == null;
    }

    /**
     * Reopens a parked object. It must have the size it had: only this writer appends to it, so
     * another size means someone else changed it, and it is not appended to again.
     */
    void resume() throws IOException {
        if (object != null) {
            return;
        }
        try {
            object = storage.reopen(name, size);
        } catch (IOException e) {
            broken = true;
            throw e;
        }
    }

    /** Forces what was written to the device, and a new object's name the first time. */
    void sync() throws IOException {
        if (object != null && !isBroken()) {
            object.sync();
        }
    }

    /** Closes it for good: nothing more will be appended. */
    void seal() throws IOException {
        AppendableObject o = object;
        object = null;
        if (o != null) {
            o.seal();
        }
    }

    /** Removes an object whose creation failed part-way. */
    void delete() throws IOException {
        park();
        storage.delete(name);
    }

    @Override
    public void close() throws IOException {
        park();
    }
}

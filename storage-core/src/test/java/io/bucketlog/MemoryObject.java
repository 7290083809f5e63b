package io.bucketlog;

import io.bucketlog.spi.AppendableObject;
import java.io.ByteArrayOutputStream;

/** An {@link AppendableObject} in memory, for tests of what is written to one. */
final class MemoryObject implements AppendableObject {
    private final String name;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean sealed;
    private boolean closed;

    MemoryObject(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return bytes.size();
    }

    @Override
    public void append(byte[] b, int offset, int length) {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        bytes.write(b, offset, length);
    }

    @Override
    public void sync() {
    }

    @Override
    public void seal() {
        sealed = true;
        close();
    }

    @Override
    public boolean isBroken() {
        return false;
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean sealed() {
        return sealed;
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }
}

package io.bucketlog.spi;

import java.io.IOException;

/**
 * An open object to read byte ranges from; one thread at a time. Close it when done.
 */
public interface ReadableObject extends AutoCloseable {

    /** The name it was opened by. */
    String name();

    /**
     * The size now. For a growing object each call may see a larger size (never a smaller one
     * while the object exists); bytes below a size once returned never change.
     */
    long size() throws IOException;

    /**
     * Reads up to {@code length} bytes at {@code position} into {@code into} from {@code offset}:
     * fewer only at the end of the object.
     *
     * @return the number of bytes read, 0 at or past the end
     */
    int read(long position, byte[] into, int offset, int length) throws IOException;

    /** The version of what this handle reads now. */
    ObjectVersion version() throws IOException;

    @Override
    void close() throws IOException;
}

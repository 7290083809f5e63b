package io.bucketlog.spi;

import java.io.IOException;

/**
 * An object its one creator appends to; one thread at a time.
 *
 * <p><b>All or nothing.</b> An {@link #append} that fails leaves the object with its previous
 * content as far as any later reader can tell (a file is cut back to its previous size), so the
 * next append does not land behind a torn one; if even that cannot be ensured the object is
 * {@link #isBroken() broken} and refuses further appends. Either way, what was appended before
 * stays readable.
 *
 * <p><b>Visibility.</b> On a backend that appends in place (a file), appended bytes are visible to
 * readers when {@code append} returns. A backend that cannot append (an object store) instead
 * keeps appended bytes in a local spool and publishes them as immutable part objects: on its own
 * publish interval (or at once on {@link #publish()}; the engine leaves it to the interval), every
 * byte appended since the last publish becomes one part; readers see the object as the concatenation of its parts in
 * order, so they see a prefix of what was appended, exactly like a file read while it grows. On
 * {@link #seal()} the whole object becomes one object and its parts are removed later.
 * {@code append} never waits on the network; a spool that is full fails the append with
 * {@link SpoolFullException}, which the engine counts like a full ring.
 */
public interface AppendableObject extends AutoCloseable {

    /** The name it was created by. */
    String name();

    /** Bytes appended so far (visible or not). */
    long size();

    /** Appends {@code length} bytes of {@code bytes} from {@code offset}, all or nothing. */
    void append(byte[] bytes, int offset, int length) throws IOException;

    /**
     * Makes what was appended visible to readers elsewhere, where appends are not visible at
     * once; a file does nothing. Returns at once: publishing happens in the background.
     */
    default void publish() throws IOException {
    }

    /**
     * Makes everything appended so far durable, and the object's name with it (on a file system,
     * the file and, the first time, its directories are forced to the device).
     */
    void sync() throws IOException;

    /**
     * Says that nothing more will be appended: the object is complete. On a file this only
     * closes it; an object store turns its parts into one object.
     */
    default void seal() throws IOException {
        close();
    }

    /** Whether a failed append left it unusable. */
    boolean isBroken();

    /**
     * Releases the handle; {@link Storage#reopen} continues it. What was appended stays (and is
     * published on a backend that publishes).
     */
    @Override
    void close() throws IOException;
}

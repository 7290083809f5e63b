package io.bucketlog;

/**
 * A preallocated ring-buffer slot that a producer fills in place, so that appending allocates
 * nothing on the caller's thread. Only valid inside {@link EventFiller#fill}; do not keep it.
 */
public interface EventSlot {

    /** Sets the key (empty by default). */
    EventSlot key(CharSequence key);

    /** The key as a buffer, empty on entry: append to it instead of calling {@link #key}. */
    StringBuilder keyText();

    /** Sets the event time in nanoseconds since the epoch (required). */
    EventSlot timestampNanos(long nanos);

    /** Adds an attribute. Names should be constants; values are copied. */
    EventSlot attribute(String name, CharSequence value);

    /**
     * The body as text, empty on entry: append to it, and it is stored as UTF-8. Used instead of
     * {@link #body(byte[], int, int)}.
     */
    StringBuilder bodyText();

    /** Sets a binary body, copied into the slot. */
    EventSlot body(byte[] bytes, int offset, int length);
}

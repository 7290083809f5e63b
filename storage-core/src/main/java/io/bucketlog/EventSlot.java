package io.bucketlog;

/**
 * A preallocated ring-buffer slot that a producer fills in place, so that appending allocates
 * nothing on the caller's thread. Only valid inside {@link EventFiller#fill}; do not keep it.
 */
public interface EventSlot {

    /**
     * Sets the key (empty by default). Control characters are escaped and a key over
     * {@link Names#MAX_KEY_BYTES} is cut, by the writer.
     */
    EventSlot key(CharSequence key);

    /**
     * The key as a buffer, empty on entry: append to it instead of calling {@link #key}. A key
     * appended here is bounded only afterwards, like {@link #bodyText()}.
     */
    StringBuilder keyText();

    /** Sets the event time in nanoseconds since the epoch (required). */
    EventSlot timestampNanos(long nanos);

    /**
     * Adds an attribute. Names should be constants; values are copied, at most what the writer's
     * limits allow ({@link WriterOptions#maxEventBytes()}, {@link WriterOptions#maxAttributes()}).
     */
    EventSlot attribute(String name, CharSequence value);

    /**
     * The body as text, empty on entry: append to it, and it is stored as UTF-8. Used instead of
     * {@link #body(byte[], int, int)}. What is appended here is cut to the limit only afterwards,
     * so text that already exists as a {@code CharSequence} is better given to
     * {@link #bodyText(CharSequence)}, which never copies more than the limit.
     */
    StringBuilder bodyText();

    /**
     * Sets a text body, copying at most what the writer's limits allow: a longer one is cut and
     * the event marked {@link LogAttributes#TRUNCATED}.
     */
    EventSlot bodyText(CharSequence body);

    /** Sets a binary body, copied into the slot up to the writer's limit. */
    EventSlot body(byte[] bytes, int offset, int length);
}

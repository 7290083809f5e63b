package io.bucketlog.internal.format;

/**
 * An event as the block encoder reads it, without copying: implemented by the ring-buffer slot so
 * that encoding needs no intermediate object per event.
 */
public interface RecordSource {
    CharSequence key();

    long timestampNanos();

    int attributeCount();

    String attributeName(int i);

    CharSequence attributeValue(int i);

    /** The body as text, or {@code null} when the body is binary. */
    CharSequence textBody();

    byte[] bodyBytes();

    int bodyLength();
}

package io.bucketlog.write;

import io.bucketlog.EventSlot;
import io.bucketlog.format.RecordSource;
import java.util.Arrays;

/**
 * One preallocated ring-buffer entry. A producer fills it in place between claiming and publishing
 * its sequence; the bucket-writer thread reads it after the sequence is published. The Disruptor's
 * sequence barrier orders the two, so the fields need no synchronisation of their own.
 *
 * <p>Buffers are reused from event to event; one that an unusually large event grew beyond
 * {@link #MAX_RETAINED_CHARS} is replaced by the consumer, so a single huge event does not pin
 * memory in every slot for the life of the ring.
 */
final class RingSlot implements EventSlot, RecordSource {
    static final int MAX_RETAINED_CHARS = 16 * 1024;

    String stream;
    int priority;
    /** Set when the producer's filler threw: the slot was published but holds no event. */
    boolean cancelled;
    /** Set by {@code flush()}: not an event, but a request to write every waiting block now. */
    boolean flushMarker;

    private StringBuilder key = new StringBuilder(32);
    private long timestampNanos = Long.MIN_VALUE;
    private String[] names = new String[8];
    private StringBuilder[] values = new StringBuilder[8];
    private int attributeCount;
    private StringBuilder text = new StringBuilder(128);
    private boolean textBody;
    private byte[] bytes = new byte[0];
    private int bytesLength;

    /** Called by the producer right after claiming the slot. */
    void reset(String stream, int priority) {
        this.stream = stream;
        this.priority = priority;
        this.cancelled = false;
        this.flushMarker = false;
        key.setLength(0);
        timestampNanos = Long.MIN_VALUE;
        attributeCount = 0;
        text.setLength(0);
        textBody = false;
        bytesLength = 0;
    }

    /** Called by the consumer once it is done with the slot. */
    void release() {
        if (key.capacity() > MAX_RETAINED_CHARS) {
            key = new StringBuilder(32);
        }
        if (text.capacity() > MAX_RETAINED_CHARS) {
            text = new StringBuilder(128);
        }
        if (bytes.length > MAX_RETAINED_CHARS) {
            bytes = new byte[0];
        }
        for (int i = 0; i < attributeCount; i++) {
            if (values[i].capacity() > MAX_RETAINED_CHARS) {
                values[i] = new StringBuilder(32);
            }
        }
    }

    @Override
    public EventSlot key(CharSequence k) {
        key.setLength(0);
        key.append(k);
        return this;
    }

    @Override
    public StringBuilder keyText() {
        return key;
    }

    @Override
    public EventSlot timestampNanos(long nanos) {
        this.timestampNanos = nanos;
        return this;
    }

    @Override
    public EventSlot attribute(String name, CharSequence value) {
        if (attributeCount == names.length) {
            names = Arrays.copyOf(names, attributeCount * 2);
            values = Arrays.copyOf(values, attributeCount * 2);
        }
        StringBuilder v = values[attributeCount];
        if (v == null) {
            v = new StringBuilder(32);
            values[attributeCount] = v;
        }
        v.setLength(0);
        v.append(value == null ? "" : value);
        names[attributeCount++] = name;
        return this;
    }

    @Override
    public StringBuilder bodyText() {
        textBody = true;
        return text;
    }

    @Override
    public EventSlot body(byte[] src, int offset, int length) {
        textBody = false;
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, 64)];
        }
        System.arraycopy(src, offset, bytes, 0, length);
        bytesLength = length;
        return this;
    }

    // RecordSource, read by the bucket writer

    @Override
    public CharSequence key() {
        return key;
    }

    @Override
    public long timestampNanos() {
        return timestampNanos;
    }

    @Override
    public int attributeCount() {
        return attributeCount;
    }

    @Override
    public String attributeName(int i) {
        return names[i];
    }

    @Override
    public CharSequence attributeValue(int i) {
        return values[i];
    }

    @Override
    public CharSequence textBody() {
        return textBody ? text : null;
    }

    @Override
    public byte[] bodyBytes() {
        return bytes;
    }

    @Override
    public int bodyLength() {
        return bytesLength;
    }
}

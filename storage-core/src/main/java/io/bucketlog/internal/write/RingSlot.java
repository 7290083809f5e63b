package io.bucketlog.internal.write;

import io.bucketlog.EventSlot;
import io.bucketlog.Names;
import io.bucketlog.internal.format.RecordSource;
import java.util.Arrays;

/**
 * One preallocated ring-buffer entry. A producer fills it in place between claiming and publishing
 * its sequence; the bucket-writer thread reads it after the sequence is published. The Disruptor's
 * sequence barrier orders the two, so the fields need no synchronisation of their own.
 *
 * <h2>Bounded copies</h2>
 * Every length is checked before anything is copied: a slot takes at most {@code maxEventBytes}
 * characters of attribute values and body (a character is at least one UTF-8 byte, so no more
 * can be stored), {@code maxAttributes} attributes, and {@link #MAX_KEY_CHARS} of key; beyond
 * {@link #MAX_RETAINED_CHARS} it copies only what the writer's {@link LargeEventBudget} grants.
 * Whatever is left out sets {@link #cut} and is counted in {@link #originalSize}, so a 1 GiB
 * message costs the logging thread no more than a 1 MiB one. The bucket writer then fits the
 * event to the exact encoded limit ({@link EventLimits}).
 *
 * <p>Buffers are reused from event to event; one that a large event grew beyond
 * {@link #MAX_RETAINED_CHARS}, or attribute arrays grown beyond {@link #RETAINED_ATTRIBUTES}, are
 * replaced by the consumer, so a single huge event does not pin memory in a slot for the life of
 * the ring.
 */
final class RingSlot implements EventSlot, RecordSource {
    static final int MAX_RETAINED_CHARS = 16 * 1024;
    static final int RETAINED_ATTRIBUTES = 32;
    /** One more than a key may have, so that an over-long key is still recognised and cut. */
    static final int MAX_KEY_CHARS = Names.MAX_KEY_BYTES + 1;

    private final int maxChars;
    private final int maxAttributes;
    private final LargeEventBudget budget;

    String stream;
    int priority;
    /** Set when the producer's filler threw: the slot was published but holds no event. */
    boolean cancelled;
    /** Set by {@code flush()}: not an event, but a request to write every waiting block now. */
    boolean flushMarker;
    /** Set when something offered to the slot was left out. */
    boolean cut;
    /** Characters (bytes of a binary body) offered to the slot: attribute values and body. */
    long originalSize;

    private StringBuilder key = new StringBuilder(32);
    private long timestampNanos = Long.MIN_VALUE;
    private String[] names = new String[8];
    private StringBuilder[] values = new StringBuilder[8];
    private int attributeCount;
    private StringBuilder text = new StringBuilder(128);
    private boolean textBody;
    /** Whether the text body was copied through {@link #bodyText(CharSequence)}, so is bounded. */
    private boolean textBounded;
    private byte[] bytes = new byte[0];
    private int bytesLength;
    /** Characters of attribute values and body copied so far. */
    private int used;
    /** Characters taken from the budget for this event. */
    private long reserved;

    RingSlot(int maxChars, int maxAttributes, LargeEventBudget budget) {
        this.maxChars = maxChars;
        this.maxAttributes = maxAttributes;
        this.budget = budget;
    }

    /** Called by the producer right after claiming the slot. */
    void reset(String stream, int priority) {
        this.stream = stream;
        this.priority = priority;
        this.cancelled = false;
        this.flushMarker = false;
        this.cut = false;
        this.originalSize = 0;
        key.setLength(0);
        timestampNanos = Long.MIN_VALUE;
        attributeCount = 0;
        text.setLength(0);
        textBody = false;
        textBounded = false;
        bytesLength = 0;
        used = 0;
    }

    /**
     * Called by the producer after its filler returned: a body appended to {@link #bodyText()}
     * could not be bounded while it was written, so it is bounded now.
     */
    void afterFill() {
        if (textBody && !textBounded) {
            int have = text.length();
            originalSize += have;
            int keep = room(have);
            if (keep < have) {
                text.setLength(cutPoint(text, keep));
            }
        }
        if (key.length() > MAX_KEY_CHARS) {
            key.setLength(cutPoint(key, MAX_KEY_CHARS));
        }
    }

    /** Called by the consumer once it is done with the slot. */
    void release() {
        budget.give(reserved);
        reserved = 0;
        if (key.capacity() > MAX_RETAINED_CHARS) {
            key = new StringBuilder(32);
        }
        if (text.capacity() > MAX_RETAINED_CHARS) {
            text = new StringBuilder(128);
        }
        if (bytes.length > MAX_RETAINED_CHARS) {
            bytes = new byte[0];
        }
        if (names.length > RETAINED_ATTRIBUTES) {
            names = new String[8];
            values = new StringBuilder[8];
        } else {
            for (int i = 0; i < attributeCount; i++) {
                if (values[i].capacity() > MAX_RETAINED_CHARS) {
                    values[i] = new StringBuilder(32);
                }
            }
        }
        attributeCount = 0;
    }

    /**
     * How many of {@code wanted} characters this event may still copy, taking from the budget
     * what goes beyond {@link #MAX_RETAINED_CHARS}; marks the slot cut if that is fewer.
     */
    private int room(int wanted) {
        long allowed = Math.max(0, Math.min(wanted, (long) maxChars - used));
        long beyond = used + allowed - MAX_RETAINED_CHARS;
        if (beyond > reserved) {
            reserved += budget.take(beyond - reserved);
            allowed = Math.max(0, Math.min(allowed, MAX_RETAINED_CHARS + reserved - used));
        }
        if (allowed < wanted) {
            cut = true;
        }
        used += (int) allowed;
        return (int) allowed;
    }

    /** {@code n}, or one less if that would split a surrogate pair. */
    static int cutPoint(CharSequence s, int n) {
        return n > 0 && n < s.length() && Character.isHighSurrogate(s.charAt(n - 1)) ? n - 1 : n;
    }

    @Override
    public EventSlot key(CharSequence k) {
        key.setLength(0);
        if (k != null) {
            key.append(k, 0, Math.min(k.length(), MAX_KEY_CHARS));
        }
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
        CharSequence v = value == null ? "" : value;
        int len = v.length();
        originalSize += len;
        if (attributeCount >= maxAttributes) {
            cut = true;
            return this;
        }
        int n = room(len);
        StringBuilder b = nextValue(name);
        b.append(v, 0, n < len ? cutPoint(v, n) : len);
        return this;
    }

    /** Adds an attribute without the producer's limits: for the bucket writer's own marks. */
    void putAttribute(String name, CharSequence value) {
        nextValue(name).append(value);
    }

    private StringBuilder nextValue(String name) {
        if (attributeCount == names.length) {
            int grown = Math.min(attributeCount * 2, maxAttributes + 1);
            names = Arrays.copyOf(names, grown);
            values = Arrays.copyOf(values, grown);
        }
        StringBuilder v = values[attributeCount];
        if (v == null) {
            v = new StringBuilder(32);
            values[attributeCount] = v;
        }
        v.setLength(0);
        names[attributeCount++] = name;
        return v;
    }

    @Override
    public StringBuilder bodyText() {
        textBody = true;
        textBounded = false;
        return text;
    }

    @Override
    public EventSlot bodyText(CharSequence given) {
        CharSequence body = given == null ? "" : given;
        int len = body.length();
        originalSize += len;
        int n = room(len);
        text.setLength(0);
        text.append(body, 0, n < len ? cutPoint(body, n) : len);
        textBody = true;
        textBounded = true;
        return this;
    }

    @Override
    public EventSlot body(byte[] src, int offset, int length) {
        textBody = false;
        originalSize += length;
        int n = room(length);
        if (bytes.length < n) {
            bytes = new byte[Math.max(n, 64)];
        }
        System.arraycopy(src, offset, bytes, 0, n);
        bytesLength = n;
        return this;
    }

    // The bucket writer's view, to fit an event to its limits (EventLimits)

    StringBuilder keyBuffer() {
        return key;
    }

    StringBuilder valueBuffer(int i) {
        return values[i];
    }

    void renameAttribute(int i, String name) {
        names[i] = name;
    }

    /** Leaves out every attribute from the {@code n}th on. */
    void keepAttributes(int n) {
        attributeCount = Math.min(attributeCount, n);
    }

    StringBuilder textBuffer() {
        return textBody ? text : null;
    }

    void cutBytes(int length) {
        bytesLength = Math.min(bytesLength, length);
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

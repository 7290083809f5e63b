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
 * <h2>Strings are kept, not copied</h2>
 * A key, attribute value or text body given as a {@link String} of at most
 * {@link #MAX_REFERENCED_CHARS} characters that fits the bounds is kept by reference: a
 * {@code String} cannot change after the logging call, so the snapshot is as good as a copy, and
 * the copy was the producer's main cost besides the message. It also lets the bucket writer
 * recognise a value it has just seen by identity (the same level, logger and thread name
 * {@code String} event after event), skipping its validation and dictionary lookup
 * ({@link EventLimits}, {@code BlockBuilder}), and it reads constants that are in the cache
 * instead of a cold slot's buffers. Every other {@code CharSequence} is copied, and so is a
 * short {@code String} that changes from one lap of the ring to the next (below).
 *
 * <h2>References are written only when they change</h2>
 * Every reference field is compared before it is written, and whether a {@code String} is kept
 * by reference or copied, and kept after its event, follows {@link SlotReferences}: under G1 a
 * reference stored into a slot costs a barrier and a refined card.
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
    /** Longer {@code String}s are copied: a slot must not keep a large one reachable. */
    static final int MAX_REFERENCED_CHARS = 1024;

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
    /**
     * The key when {@link #keyGiven}: {@link #key}, or a {@code String} kept by reference;
     * otherwise what an earlier event left, or {@code null}.
     */
    private CharSequence keyValue;
    private boolean keyGiven;
    /** The hash of the {@code String} key offered in the slot's last event. */
    private int keyOfferedHash;
    private long timestampNanos = Long.MIN_VALUE;
    private String[] names = new String[8];
    private StringBuilder[] values = new StringBuilder[8];
    /** Per attribute: its buffer in {@link #values}, or a {@code String} kept by reference. */
    private CharSequence[] valueRefs = new CharSequence[8];
    /** Per attribute: the hash of the {@code String} value offered in the slot's last event. */
    private int[] offeredHashes = new int[8];
    private int attributeCount;
    /** The most attributes this event had, before the bucket writer dropped any. */
    private int filledAttributes;
    private StringBuilder text = new StringBuilder(128);
    /**
     * The text body when {@link #textBody}: {@link #text}, or a {@code String} kept by reference;
     * otherwise what an earlier event left, or {@code null}.
     */
    private CharSequence textValue;
    /** The hash of the {@code String} body offered in the slot's last event. */
    private int textOfferedHash;
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
        if (this.stream != stream) {
            this.stream = stream;
        }
        this.priority = priority;
        this.cancelled = false;
        this.flushMarker = false;
        this.cut = false;
        this.originalSize = 0;
        // A buffer is emptied only when it is written: the slot's buffers are cold in the cache
        // (a ring is megabytes), and an event of referenced Strings never touches them.
        keyGiven = false;
        timestampNanos = Long.MIN_VALUE;
        attributeCount = 0;
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
        if (keyValue == key && key.length() > MAX_KEY_CHARS) {
            key.setLength(cutPoint(key, MAX_KEY_CHARS));
        }
    }

    /**
     * Called by the consumer once it is done with the slot: drops what the slot must not keep (a
     * grown buffer, a long referenced {@code String}) and keeps the rest for its next event.
     */
    void release() {
        budget.give(reserved);
        reserved = 0;
        if (keyValue == key && key.capacity() > MAX_RETAINED_CHARS) {
            key = new StringBuilder(32);
        }
        CharSequence k = SlotReferences.kept(keyValue, key);
        if (k != keyValue) {
            keyValue = k;
        }
        if (textValue == text && text.capacity() > MAX_RETAINED_CHARS) {
            text = new StringBuilder(128);
        }
        CharSequence t = SlotReferences.kept(textValue, text);
        if (t != textValue) {
            textValue = t;
        }
        if (bytes.length > MAX_RETAINED_CHARS) {
            bytes = new byte[0];
        }
        if (names.length > RETAINED_ATTRIBUTES) {
            names = new String[8];
            values = new StringBuilder[8];
            valueRefs = new CharSequence[8];
            offeredHashes = new int[8];
        } else {
            for (int i = 0, n = Math.max(attributeCount, filledAttributes); i < n; i++) {
                CharSequence v = valueRefs[i];
                if (v instanceof StringBuilder b && b.capacity() > MAX_RETAINED_CHARS) {
                    values[i] = new StringBuilder(32);
                }
                CharSequence keep = SlotReferences.kept(v, values[i]);
                if (keep != v) {
                    valueRefs[i] = keep;
                }
            }
        }
        attributeCount = 0;
        filledAttributes = 0;
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
        if (k instanceof String s && s.length() <= Math.min(MAX_KEY_CHARS, MAX_REFERENCED_CHARS)) {
            int lastHash = keyOfferedHash;
            keyOfferedHash = s.hashCode();
            keyGiven = true;
            if (keyValue == s) {
                return this;
            }
            if (SlotReferences.byReference(s, lastHash)) {
                keyValue = s;
                return this;
            }
        }
        StringBuilder b = keyText();
        if (k != null) {
            appendPrefix(b, k, Math.min(k.length(), MAX_KEY_CHARS));
        }
        return this;
    }

    @Override
    public StringBuilder keyText() {
        keyGiven = true;
        key.setLength(0);
        if (keyValue != key) {
            keyValue = key;
        }
        return key;
    }

    /** Appends the first {@code n} chars of {@code s}: all of a String or builder in one copy. */
    private static void appendPrefix(StringBuilder out, CharSequence s, int n) {
        if (n == s.length()) {
            out.append(s); // bulk copy for a String or a StringBuilder; append(s, 0, n) goes by char
        } else {
            out.append(s, 0, n);
        }
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
        if (n == len && v instanceof String s && len <= MAX_REFERENCED_CHARS) {
            nextAttribute(name);
            int i = attributeCount - 1;
            int lastHash = offeredHashes[i];
            offeredHashes[i] = s.hashCode();
            if (valueRefs[i] == s) {
                return this;
            }
            if (SlotReferences.byReference(s, lastHash)) {
                valueRefs[i] = s;
                return this;
            }
            buffer(i).append(s);
        } else {
            appendPrefix(nextValue(name), v, n < len ? cutPoint(v, n) : len);
        }
        return this;
    }

    /** Adds an attribute without the producer's limits: for the bucket writer's own marks. */
    void putAttribute(String name, CharSequence value) {
        nextValue(name).append(value);
    }

    private void nextAttribute(String name) {
        if (attributeCount == names.length) {
            int grown = Math.min(attributeCount * 2, maxAttributes + 1);
            names = Arrays.copyOf(names, grown);
            values = Arrays.copyOf(values, grown);
            valueRefs = Arrays.copyOf(valueRefs, grown);
            offeredHashes = Arrays.copyOf(offeredHashes, grown);
        }
        if (names[attributeCount] != name) {
            names[attributeCount] = name;
        }
        attributeCount++;
    }

    private StringBuilder nextValue(String name) {
        nextAttribute(name);
        return buffer(attributeCount - 1);
    }

    /** Attribute {@code i}'s own buffer, emptied, now its value. */
    private StringBuilder buffer(int i) {
        StringBuilder v = values[i];
        if (v == null) {
            v = new StringBuilder(32);
            values[i] = v;
        }
        v.setLength(0);
        if (valueRefs[i] != v) {
            valueRefs[i] = v;
        }
        return v;
    }

    @Override
    public StringBuilder bodyText() {
        textBody = true;
        textBounded = false;
        return emptyText();
    }

    private StringBuilder emptyText() {
        text.setLength(0);
        if (textValue != text) {
            textValue = text;
        }
        return text;
    }

    @Override
    public EventSlot bodyText(CharSequence given) {
        CharSequence body = given == null ? "" : given;
        int len = body.length();
        originalSize += len;
        int n = room(len);
        if (n == len && body instanceof String s && len <= MAX_REFERENCED_CHARS && referencedBody(s)) {
            if (textValue != s) {
                textValue = s;
            }
        } else {
            appendPrefix(emptyText(), body, n < len ? cutPoint(body, n) : len);
        }
        textBody = true;
        textBounded = true;
        return this;
    }

    private boolean referencedBody(String s) {
        int lastHash = textOfferedHash;
        textOfferedHash = s.hashCode();
        return textValue == s || SlotReferences.byReference(s, lastHash);
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

    /** The key as a buffer that may be changed in place (a referenced String is copied). */
    StringBuilder keyBuffer() {
        CharSequence k = key();
        if (k != key) {
            keyValue = holding(key, k);
        }
        keyGiven = true;
        return key;
    }

    /** {@code buffer}, emptied and holding a copy of {@code value}, which is not that buffer. */
    private static StringBuilder holding(StringBuilder buffer, CharSequence value) {
        buffer.setLength(0);
        buffer.append(value);
        return buffer;
    }

    /**
     * Attribute {@code i}'s value as a buffer that may be changed in place (a referenced String
     * is copied into it).
     */
    StringBuilder valueBuffer(int i) {
        CharSequence v = valueRefs[i];
        if (v instanceof StringBuilder b) {
            return b;
        }
        return buffer(i).append(v);
    }

    void renameAttribute(int i, String name) {
        names[i] = name;
    }

    /** Leaves out every attribute from the {@code n}th on. */
    void keepAttributes(int n) {
        filledAttributes = Math.max(filledAttributes, attributeCount);
        attributeCount = Math.min(attributeCount, n);
    }

    /** The text body as a buffer that may be changed in place, or {@code null} if binary. */
    StringBuilder textBuffer() {
        if (!textBody) {
            return null;
        }
        if (textValue != text) {
            textValue = holding(text, textValue);
        }
        return text;
    }

    void cutBytes(int length) {
        bytesLength = Math.min(bytesLength, length);
    }

    // RecordSource, read by the bucket writer

    @Override
    public CharSequence key() {
        return keyGiven ? keyValue : "";
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
        return valueRefs[i];
    }

    @Override
    public CharSequence textBody() {
        return textBody ? textValue : null;
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

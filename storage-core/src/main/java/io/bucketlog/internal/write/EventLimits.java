package io.bucketlog.internal.write;

import io.bucketlog.LogAttributes;
import io.bucketlog.Names;
import io.bucketlog.internal.format.ByteSink;

/**
 * Makes an event in a ring slot safe to store, on the bucket-writer thread, before it is encoded:
 * a key or attribute name with control characters or unpaired surrogates is escaped
 * ({@code \u0007}), and so are the unpaired surrogates of attribute values and of a text body
 * (which UTF-8 cannot hold); a key or name too long is cut and ends with {@link #CUT_MARKER}; an
 * event whose encoding could exceed {@code maxEventBytes} loses the end of its body, then of its
 * last attribute values, then its last attributes, until it fits, and an event that lost anything
 * (here or in {@link RingSlot}) gets a {@link LogAttributes#TRUNCATED} attribute holding its
 * original size.
 * Only an event that cannot fit even then is refused.
 *
 * <p>A key, attribute name or value that is the very {@code String} instance found valid at the
 * same place in the previous event is not checked again: a {@code String} cannot change, and a
 * logging application repeats the same level, logger, thread and context strings event after
 * event ({@link RingSlot} keeps them by reference). Nor is a value that is the very {@code String}
 * found valid as this or an earlier event's key (a key is checked for more than a value is): a key
 * made from a context value ({@code %X{userId}}) differs from event to event, and the same
 * {@code String} is also the event's context attribute. Only {@code String}s are remembered; a
 * buffer's content may differ from one event to the next.
 *
 * <p>The size used is an upper bound of what {@code BlockBuilder} encodes (every string counted as
 * a new dictionary entry, every varint at its longest), so an event that passes here is never
 * refused by the block, and nothing refused is ever encoded.
 */
final class EventLimits {
    /** Ends a key or attribute name that was cut. */
    static final String CUT_MARKER = "\u2026";
    private static final int CUT_MARKER_BYTES = 3;
    /** Record fields outside key, attributes and body: timestamp, sequence, refs, counts. */
    private static final int RECORD_OVERHEAD = 40;
    /** Per attribute beyond its name and value: references, lengths, dictionary prefixes. */
    private static final int ATTRIBUTE_OVERHEAD = 20;
    /** Room kept for the {@code truncated} attribute itself. */
    private static final int MARK_BYTES = LogAttributes.TRUNCATED.length() + 20 + ATTRIBUTE_OVERHEAD;
    /** Attribute positions whose last valid name and value are remembered. */
    private static final int REMEMBERED_ATTRIBUTES = 16;

    private final int maxEventBytes;
    private final StringBuilder scratch = new StringBuilder(64);
    /** The last key, and per attribute position the last name and value, found valid. */
    private String validKey;
    private final String[] validNames = new String[REMEMBERED_ATTRIBUTES];
    private final String[] validValues = new String[REMEMBERED_ATTRIBUTES];
    /** Whether the last {@link #fit} escaped or cut the key, a name, a value or the text body. */
    boolean sanitised;
    /** Whether the last {@link #fit} stored the event truncated. */
    boolean truncated;

    EventLimits(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    /** Fits {@code e} to the limits in place; {@code false} if it cannot be stored at all. */
    boolean fit(RingSlot e) {
        sanitised = false;
        CharSequence key = e.key();
        if (key == null || key != validKey) {
            if (Names.keyProblem(key) != null) {
                sanitiseKey(e.keyBuffer());
                sanitised = true;
            } else if (key instanceof String s) {
                validKey = s;
            }
        }
        for (int i = 0; i < e.attributeCount(); i++) {
            boolean remembered = i < REMEMBERED_ATTRIBUTES;
            String name = e.attributeName(i);
            if (!remembered || name == null || name != validNames[i]) {
                if (Names.attributeNameProblem(name) != null) {
                    e.renameAttribute(i, sanitiseName(name));
                    sanitised = true;
                } else if (remembered) {
                    validNames[i] = name;
                }
            }
            CharSequence value = e.attributeValue(i);
            // validKey is a String found valid as a key, which is stricter than a value: the MDC
            // value a logging key template passes as the key (%X{userId}) is checked once.
            boolean known = value != null && (value == validKey || (remembered && value == validValues[i]));
            if (!known) {
                if (Names.valueProblem(value) != null) {
                    escapeSurrogates(e.valueBuffer(i));
                    sanitised = true;
                } else if (remembered && value instanceof String s) {
                    validValues[i] = s;
                }
            }
        }
        CharSequence body = e.textBody();
        if (body != null && Names.valueProblem(body) != null) { // one scan; escaping only if needed
            escapeSurrogates(e.textBuffer());
            sanitised = true;
        }
        truncated = e.cut;
        long size = upperBound(e);
        if (truncated || size > maxEventBytes) {
            if (!shrink(e, size)) {
                return false;
            }
            truncated = true;
            e.putAttribute(LogAttributes.TRUNCATED, Long.toString(e.originalSize));
        }
        return true;
    }

    /** Cuts body, then attribute values, then attributes from the end until the event fits. */
    private boolean shrink(RingSlot e, long size) {
        long excess = size + MARK_BYTES - maxEventBytes;
        if (excess <= 0) {
            return true;
        }
        StringBuilder text = e.textBuffer();
        if (text != null) {
            excess -= cutText(text, excess);
        } else {
            int cut = (int) Math.min(excess, e.bodyLength());
            e.cutBytes(e.bodyLength() - cut);
            excess -= cut;
        }
        for (int i = e.attributeCount() - 1; i >= 0 && excess > 0; i--) {
            excess -= cutText(e.valueBuffer(i), excess);
            if (excess > 0) {
                excess -= ByteSink.utf8Length(e.attributeName(i)) + ATTRIBUTE_OVERHEAD;
                e.keepAttributes(i);
            }
        }
        return excess <= 0;
    }

    /** Removes at least {@code bytes} UTF-8 bytes from the end of {@code s}; returns how many. */
    private static long cutText(StringBuilder s, long bytes) {
        long removed = 0;
        int end = s.length();
        while (end > 0 && removed < bytes) {
            char c = s.charAt(end - 1);
            if (Character.isLowSurrogate(c) && end > 1 && Character.isHighSurrogate(s.charAt(end - 2))) {
                removed += 4;
                end -= 2;
            } else {
                removed += c < 0x80 || Character.isSurrogate(c) ? 1 : c < 0x800 ? 2 : 3;
                end--;
            }
        }
        s.setLength(end);
        return removed;
    }

    /**
     * An upper bound of the encoded size. Counting characters three times (the most UTF-8 bytes a
     * char becomes) is enough for all but events near the limit, which are measured exactly.
     */
    private long upperBound(RingSlot e) {
        long chars = e.key().length();
        long fixed = RECORD_OVERHEAD + (long) e.attributeCount() * ATTRIBUTE_OVERHEAD;
        for (int i = 0; i < e.attributeCount(); i++) {
            chars += e.attributeName(i).length() + e.attributeValue(i).length();
        }
        CharSequence text = e.textBody();
        long body = text == null ? e.bodyLength() : 0;
        if (text != null) {
            chars += text.length();
        }
        if (fixed + body + chars * 3 <= maxEventBytes) {
            return fixed + body + chars * 3;
        }
        long exact = fixed + body + ByteSink.utf8Length(e.key());
        for (int i = 0; i < e.attributeCount(); i++) {
            exact += ByteSink.utf8Length(e.attributeName(i)) + ByteSink.utf8Length(e.attributeValue(i));
        }
        if (text != null) {
            exact += ByteSink.utf8Length(text);
        }
        return exact;
    }

    /** Escapes and cuts a key, which has a problem, in place. */
    private void sanitiseKey(StringBuilder key) {
        StringBuilder out = scratch;
        out.setLength(0);
        escape(key, out);
        cutToBytes(out, Names.MAX_KEY_BYTES);
        key.setLength(0);
        key.append(out);
        if (out.capacity() > RingSlot.MAX_RETAINED_CHARS) {
            out.setLength(0);
            out.trimToSize();
        }
    }

    private String sanitiseName(String name) {
        if (name == null || name.isEmpty()) {
            return "_";
        }
        StringBuilder out = new StringBuilder(Math.min(name.length(), 1024));
        escape(name.length() > Names.MAX_ATTRIBUTE_NAME_LENGTH * 2
                ? name.subSequence(0, Names.MAX_ATTRIBUTE_NAME_LENGTH * 2) : name, out);
        if (out.length() > Names.MAX_ATTRIBUTE_NAME_LENGTH) {
            out.setLength(RingSlot.cutPoint(out, Names.MAX_ATTRIBUTE_NAME_LENGTH - CUT_MARKER.length()));
            out.append(CUT_MARKER);
        }
        return out.toString();
    }

    /**
     * Escapes the unpaired surrogates of an attribute value or a text body in place, as keys and
     * names are escaped (UTF-8 cannot hold them; the encoder would store {@code ?}). Control
     * characters stay: a value or body may hold line breaks and tabs.
     */
    private void escapeSurrogates(StringBuilder value) {
        StringBuilder out = scratch;
        out.setLength(0);
        escape(value, out, false);
        value.setLength(0);
        value.append(out);
        if (out.capacity() > RingSlot.MAX_RETAINED_CHARS) {
            out.setLength(0);
            out.trimToSize();
        }
    }

    private static void escape(CharSequence s, StringBuilder out) {
        escape(s, out, true);
    }

    /**
     * Copies {@code s}, writing unpaired surrogates, and control characters if {@code controls},
     * as {@code \}{@code uXXXX}.
     */
    private static void escape(CharSequence s, StringBuilder out, boolean controls) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                out.append(c).append(s.charAt(++i));
            } else if ((controls && Character.isISOControl(c)) || Character.isSurrogate(c)) {
                out.append("\\u");
                String hex = Integer.toHexString(c);
                for (int pad = hex.length(); pad < 4; pad++) {
                    out.append('0');
                }
                out.append(hex);
            } else {
                out.append(c);
            }
        }
    }

    /** Cuts {@code s} to at most {@code max} UTF-8 bytes, ending with the marker if it was cut. */
    private static void cutToBytes(StringBuilder s, int max) {
        if (s.length() * 3L <= max || ByteSink.utf8Length(s) <= max) {
            return;
        }
        int budget = max - CUT_MARKER_BYTES;
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int w;
            int step = 1;
            if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                w = 4;
                step = 2;
            } else {
                w = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
            if (bytes + w > budget) {
                break;
            }
            bytes += w;
            i += step;
        }
        s.setLength(i);
        s.append(CUT_MARKER);
    }
}

package io.bucketlog.internal.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable little-endian byte buffer with the primitive encodings every Bucketlog format uses.
 * Reused across blocks by {@link #clear()}, so the writer thread does not allocate per event once
 * it has grown to its working size.
 *
 * <p>Encodings: fixed-width integers little-endian; {@code varint} is unsigned LEB128 (7 bits a
 * byte, low bits first); {@code zigzag} maps signed to unsigned so small negatives stay short;
 * strings are a varint byte length followed by UTF-8.
 */
public final class ByteSink {
    private byte[] buf;
    private int size;

    public ByteSink(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public void clear() {
        size = 0;
    }

    /** Drops everything written after the first {@code newSize} bytes. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("truncate to " + newSize + " of " + size);
        }
        size = newSize;
    }

    public int size() {
        return size;
    }

    /** The bytes it can hold before it grows. */
    public int capacity() {
        return buf.length;
    }

    /** The backing array; valid up to {@link #size()} until the next write. */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** A little-endian view of the written bytes. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(buf, 0, size).order(ByteOrder.LITTLE_ENDIAN);
    }

    public void ensureCapacity(int extra) {
        int need = size + extra;
        if (need < 0) {
            throw new IllegalStateException("buffer larger than 2 GiB");
        }
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
    }

    /** Reserves {@code n} bytes and returns their offset, for fields written after the fact. */
    public int skip(int n) {
        ensureCapacity(n);
        int at = size;
        size += n;
        return at;
    }

    public void writeByte(int b) {
        ensureCapacity(1);
        buf[size++] = (byte) b;
    }

    public void writeShort(int v) {
        ensureCapacity(2);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
    }

    public void writeInt(int v) {
        ensureCapacity(4);
        putInt(size, v);
        size += 4;
    }

    public void putInt(int at, int v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >>> 8);
        buf[at + 2] = (byte) (v >>> 16);
        buf[at + 3] = (byte) (v >>> 24);
    }

    public void writeLong(long v) {
        ensureCapacity(8);
        putLong(size, v);
        size += 8;
    }

    public void putLong(int at, long v) {
        for (int i = 0; i < 8; i++) {
            buf[at + i] = (byte) (v >>> (8 * i));
        }
    }

    public void writeVarLong(long v) {
        ensureCapacity(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    public void writeVarInt(int v) {
        writeVarLong(v & 0xFFFFFFFFL);
    }

    public void writeZigZag(long v) {
        writeVarLong((v << 1) ^ (v >> 63));
    }

    public void writeBytes(byte[] src, int off, int len) {
        ensureCapacity(len);
        System.arraycopy(src, off, buf, size, len);
        size += len;
    }

    public void writeString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarInt(b.length);
        writeBytes(b, 0, b.length);
    }

    /**
     * Writes {@code s} as a varint length and UTF-8 without an intermediate array. The length is
     * computed first so the bytes go straight into the buffer.
     */
    public void writeUtf8(CharSequence s) {
        int len = utf8Length(s);
        writeVarInt(len);
        encodeUtf8(s, len);
    }

    /** Writes {@code s} as raw UTF-8 of the given precomputed length, without a length prefix. */
    public void encodeUtf8(CharSequence s, int utf8Length) {
        ensureCapacity(utf8Length);
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[size++] = (byte) c;
            } else if (c < 0x800) {
                buf[size++] = (byte) (0xC0 | (c >> 6));
                buf[size++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[size++] = (byte) (0xF0 | (cp >> 18));
                buf[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[size++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                buf[size++] = (byte) '?'; // an unpaired surrogate has no UTF-8 form
            } else {
                buf[size++] = (byte) (0xE0 | (c >> 12));
                buf[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    /** The UTF-8 length of {@code s}, counting an unpaired surrogate as the one byte '?'. */
    /** The bytes {@link #writeVarLong} takes for {@code v}. */
    public static int varIntLength(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    public static int utf8Length(CharSequence s) {
        int n = s.length();
        int len = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                len += 1;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                len += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                len += 1;
            } else {
                len += 3;
            }
        }
        return len;
    }
}

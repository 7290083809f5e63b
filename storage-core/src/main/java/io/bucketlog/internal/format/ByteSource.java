package io.bucketlog.internal.format;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads the encodings of {@link ByteSink} from a byte array, checking every length and offset
 * against the bounds it was given: a damaged file produces a {@link CorruptDataException}, never
 * an out-of-bounds error, a huge allocation or a wrong value past the end (a filler that writes
 * less than it is asked for is a bug, an {@link IllegalStateException}).
 *
 * <p>A source may be {@linkplain #filling filled as it is read}: its bytes up to {@code end} are
 * then written by a {@link Filler} (a decompression) only as far as reads reach, so the length
 * checks stay against {@code end} while a read never sees a byte not written yet.
 */
public final class ByteSource {
    /** Read ahead of what a read needs when a filler is asked, so it is asked seldom. */
    private static final int FILL_AHEAD = 512;

    private final byte[] buf;
    private final int end;
    private int pos;
    /** Bytes before this are written; at most {@code end}. */
    private int readable;
    private final Filler filler;

    /** Writes a source's array further as reads reach it: see {@link #filling}. */
    @FunctionalInterface
    public interface Filler {
        /**
         * Writes the array at least up to {@code need}.
         *
         * @return where the written bytes end now, at least {@code need}
         * @throws CorruptDataException if they cannot be written (damaged compressed data)
         */
        int fillTo(int need);
    }

    public ByteSource(byte[] buf, int offset, int length) {
        this(buf, offset, length, offset + length, null);
    }

    private ByteSource(byte[] buf, int offset, int length, int readable, Filler filler) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
        this.readable = readable;
        this.filler = filler;
    }

    /**
     * A source over {@code buf[offset, offset + length)} whose bytes from {@code readable} on are
     * written by {@code filler} when a read first needs them.
     */
    public static ByteSource filling(byte[] buf, int offset, int length, int readable,
                                     Filler filler) {
        return new ByteSource(buf, offset, length, Math.min(readable, offset + length),
                Objects.requireNonNull(filler, "filler"));
    }

    public ByteSource(byte[] buf) {
        this(buf, 0, buf.length);
    }

    /** The array read from, for checksums over what was read. */
    public byte[] array() {
        return buf;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    private void need(int n) {
        if (n < 0 || readable - pos < n) {
            fill(n);
        }
    }

    private void fill(int n) {
        if (n < 0 || end - pos < n) {
            throw new CorruptDataException("truncated: need " + n + " bytes at " + pos + ", have "
                    + (end - pos));
        }
        int need = pos + n;
        // A filler is never asked past the end, and must write what it is asked for.
        readable = Math.min(end, filler.fillTo(Math.min(end, Math.max(need, pos + FILL_AHEAD))));
        if (readable < need) {
            throw new IllegalStateException("filler stopped at " + readable + " of " + need);
        }
    }

    public int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public int readShort() {
        need(2);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    public int readInt() {
        need(4);
        int v = getInt(buf, pos);
        pos += 4;
        return v;
    }

    public long readLong() {
        need(8);
        long v = getLong(buf, pos);
        pos += 8;
        return v;
    }

    public long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new CorruptDataException("varint longer than 10 bytes at " + pos);
    }

    /** A varint that must fit a non-negative int no larger than {@code max}. */
    public int readVarInt(int max) {
        long v = readVarLong();
        if (v < 0 || v > max) {
            throw new CorruptDataException("value " + v + " out of range 0.." + max + " at " + pos);
        }
        return (int) v;
    }

    public long readZigZag() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    /** A string of at most {@code maxBytes} UTF-8 bytes. */
    public String readString(int maxBytes) {
        int len = readVarInt(maxBytes);
        need(len);
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** Copies the next {@code len} bytes. */
    public byte[] readBytes(int len) {
        need(len);
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    public void skip(int len) {
        need(len);
        pos += len;
    }

    public static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16
                | (b[at + 3] & 0xFF) << 24;
    }

    public static long getLong(byte[] b, int at) {
        return (getInt(b, at) & 0xFFFFFFFFL) | ((long) getInt(b, at + 4) << 32);
    }
}

package io.bucketlog.internal.format;

import java.util.Arrays;

/**
 * Decompresses one LZ4 block (the block format, as {@link Lz4Compressor} and lz4-java's
 * compressors write it: sequences of a token, literals, a 2-byte little-endian offset and a match,
 * the last sequence literals only).
 *
 * <p>Why not lz4-java's pure-Java decompressor: it copies literals and matches eight single bytes at a time, and that copying was a third of
 * the CPU time of a "latest 50" query after compaction (docs/PERFORMANCE.md). Here literals and
 * matches that do not overlap their source are one {@code System.arraycopy}, a run of one byte is
 * a fill, and other overlapping matches copy whole periods. Every length and offset is checked
 * against both arrays first, so a hostile block fails with {@link CorruptDataException}, never
 * with an index out of bounds, and never writes outside {@code dest[destOff, destOff + destLen)}.
 */
final class Lz4Decompressor implements ByteSource.Filler {
    /** A match is at least this long; its token stores the length minus this. */
    private static final int MIN_MATCH = 4;

    private final byte[] src;
    private final int srcEnd;
    private final byte[] dest;
    private final int destOff;
    private final int destEnd;
    /** The next sequence's token. */
    private int s;
    /** The output written so far ends here: {@code dest[destOff, d)} is final. */
    private int d;
    /** Whether the last sequence has been read (and the output checked to end at its end). */
    private boolean done;

    /**
     * A decompression of {@code src[srcOff, srcOff + srcLen)} into exactly {@code destLen} bytes
     * at {@code dest[destOff]}, run as far as {@link #fillTo} is asked: a reader of a key-ordered
     * block that finds its key's records in the first half never decompresses the second.
     */
    Lz4Decompressor(byte[] src, int srcOff, int srcLen, byte[] dest, int destOff, int destLen) {
        this.src = src;
        this.s = srcOff;
        this.srcEnd = srcOff + srcLen;
        this.dest = dest;
        this.destOff = destOff;
        this.d = destOff;
        this.destEnd = destOff + destLen;
    }

    /**
     * Decompresses whole sequences until the output reaches {@code need}; asked for the end the
     * block was opened with (or more), reads to its last sequence, which must end it exactly.
     *
     * @return where the final output ends now, at least {@code need}
     * @throws CorruptDataException if the input is not an LZ4 block of the length given
     */
    @Override
    public int fillTo(int need) {
        // Locals, written back once: the loop runs as fast as a one-shot decompression.
        int s = this.s;
        int d = this.d;
        // Output complete is not the block complete: its last sequence (literals only, maybe
        // none) must still be read, and must be the end of the input.
        boolean toLast = need >= destEnd;
        while (!done && (d < need || toLast || d == destEnd)) {
            if (s >= srcEnd) {
                throw new CorruptDataException("LZ4 data ends inside a sequence");
            }
            int token = src[s++] & 0xFF;
            int literals = token >>> 4;
            if (literals == 15) {
                int[] at = {s};
                literals += extraLength(src, at, srcEnd);
                s = at[0];
            }
            if (literals > srcEnd - s || literals > destEnd - d) {
                throw new CorruptDataException("LZ4 literals run past the block");
            }
            System.arraycopy(src, s, dest, d, literals);
            s += literals;
            d += literals;
            if (s == srcEnd) { // the last sequence: literals only
                if (d != destEnd) {
                    throw new CorruptDataException("LZ4 data decompressed to " + (d - destOff)
                            + " bytes, expected " + (destEnd - destOff));
                }
                done = true;
                break;
            }
            if (srcEnd - s < 2) {
                throw new CorruptDataException("LZ4 data ends inside a match offset");
            }
            int offset = (src[s] & 0xFF) | (src[s + 1] & 0xFF) << 8;
            s += 2;
            if (offset == 0 || offset > d - destOff) {
                throw new CorruptDataException("LZ4 match offset " + offset + " outside the output");
            }
            int length = token & 0x0F;
            if (length == 15) {
                int[] at = {s};
                length += extraLength(src, at, srcEnd);
                s = at[0];
            }
            length += MIN_MATCH;
            if (length > destEnd - d) {
                throw new CorruptDataException("LZ4 match runs past the block");
            }
            copyMatch(dest, d - offset, d, length, offset);
            d += length;
        }
        this.s = s;
        this.d = d;
        return d;
    }

    /** The bytes 255, 255, ..., n after a length nibble of 15: their sum; advances {@code at[0]}. */
    private static int extraLength(byte[] src, int[] at, int srcEnd) {
        int s = at[0];
        int sum = 0;
        int b;
        do {
            if (s >= srcEnd) {
                throw new CorruptDataException("LZ4 data ends inside a length");
            }
            b = src[s++] & 0xFF;
            sum += b;
            if (sum > BlockDecoder.MAX_UNCOMPRESSED) {
                throw new CorruptDataException("LZ4 length out of range");
            }
        } while (b == 255);
        at[0] = s;
        return sum;
    }

    /** Copies a match that may overlap its own output (offset smaller than its length). */
    private static void copyMatch(byte[] b, int from, int to, int length, int offset) {
        if (offset >= length) {
            System.arraycopy(b, from, b, to, length);
        } else if (offset == 1) {
            Arrays.fill(b, to, to + length, b[from]);
        } else {
            // The output repeats the last `offset` bytes: copy them, then what is now twice as long.
            int copied = 0;
            int period = offset;
            while (copied < length) {
                int n = Math.min(period, length - copied);
                System.arraycopy(b, from, b, to + copied, n);
                copied += n;
                period += n;
            }
        }
    }
}

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
final class Lz4Decompressor {
    /** A match is at least this long; its token stores the length minus this. */
    private static final int MIN_MATCH = 4;

    private Lz4Decompressor() {
    }

    /**
     * Decompresses {@code src[srcOff, srcOff + srcLen)} into exactly {@code destLen} bytes at
     * {@code dest[destOff]}.
     *
     * @throws CorruptDataException if the input is not an LZ4 block of exactly that many bytes
     */
    static void decompress(byte[] src, int srcOff, int srcLen, byte[] dest, int destOff, int destLen) {
        int s = srcOff;
        int srcEnd = srcOff + srcLen;
        int d = destOff;
        int destEnd = destOff + destLen;
        while (true) {
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
            if (s == srcEnd) {
                break; // the last sequence: literals only
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
        if (d != destEnd) {
            throw new CorruptDataException("LZ4 data decompressed to " + (d - destOff)
                    + " bytes, expected " + destLen);
        }
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
            int done = 0;
            int period = offset;
            while (done < length) {
                int n = Math.min(period, length - done);
                System.arraycopy(b, from, b, to + done, n);
                done += n;
                period += n;
            }
        }
    }
}

package io.bucketlog.internal.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Compresses one LZ4 block (the block format {@link Lz4Decompressor} reads): lz4's fast greedy
 * search, one hash table of the last position of each 4-byte prefix, and lz4's skip heuristic
 * (the search step grows by one every 64 misses), so incompressible input costs little.
 *
 * <p>Why not lz4-java's pure-Java fast compressor, which the writer used before: it allocates a
 * 16 KiB hash table on every call (the bucket writer's garbage, once per block), and it reads and
 * compares single bytes. Here the table is kept and words are read eight bytes at a time through
 * a {@link VarHandle}. For an input under 64 KiB + 11 bytes (every block of the default size) the
 * output is byte for byte lz4-java's: the same search, hash and table size, and a position no entry
 * names stands for position 0, as lz4-java's zeroed table does (Lz4CompressorTest).
 *
 * <p>The table is reused without clearing: an entry holds {@code generation + position}, and each
 * call starts a generation past every position of the previous input, so an entry of an earlier
 * call reads as negative and is taken as position 0. Only when the generation would overflow is
 * the table cleared.
 *
 * <p>The end of a block follows the format's rules: the last 5 bytes are literals, the last match
 * starts at least 12 bytes before the end, and an input under 13 bytes is literals only.
 *
 * <p>Not thread-safe (the table is state): each {@link BlockBuilder} has its own, and a builder is
 * used by one thread only, its {@link BucketEncoder}'s (the bucket-writer thread's open bucket,
 * or one brigade task's {@code SealedBucketWriter}).
 */
final class Lz4Compressor {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MIN_MATCH = 4;
    /** The last literals of a block: at least this many. */
    private static final int LAST_LITERALS = 5;
    /** The last match starts at least this many bytes before the end. */
    private static final int MATCH_FIND_LIMIT = 12;
    private static final int MIN_INPUT = MATCH_FIND_LIMIT + 1;
    private static final int MAX_OFFSET = 65_535;
    private static final int HASH_LOG = 13;
    private static final int SKIP_STRENGTH = 6;
    /** A length nibble of 15 says more length bytes follow. */
    private static final int NIBBLE_MAX = 15;

    private final int[] table = new int[1 << HASH_LOG];
    /** Added to every position stored by this call; above every entry of earlier calls. */
    private int generation = 1;

    /** The most bytes {@code length} input bytes can compress to. */
    static int maxCompressedLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        return length + length / 255 + 16;
    }

    /**
     * Compresses {@code src[srcOff, srcOff + srcLen)} into {@code dest} from {@code destOff},
     * writing no byte at or past {@code destOff + destLen}.
     *
     * @return the compressed length
     * @throws IllegalArgumentException if the compressed block does not fit in {@code destLen}
     *         bytes (never the case with {@link #maxCompressedLength})
     */
    int compress(byte[] src, int srcOff, int srcLen, byte[] dest, int destOff, int destLen) {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(destOff, destLen, dest.length);
        int destEnd = destOff + destLen;
        int srcEnd = srcOff + srcLen;
        int anchor = srcOff;
        int d = destOff;
        if (srcLen >= MIN_INPUT) {
            int base = startGeneration(srcLen) - srcOff;
            int matchLimit = srcEnd - LAST_LITERALS;
            int findLimit = srcEnd - MATCH_FIND_LIMIT;
            int s = srcOff + 1;
            search:
            while (true) {
                int next = s;
                int step = 1;
                int misses = 1 << SKIP_STRENGTH;
                int ref;
                do {
                    s = next;
                    next += step;
                    step = misses++ >>> SKIP_STRENGTH;
                    if (next > findLimit) {
                        break search;
                    }
                    ref = swap(src, s, base, srcOff);
                } while (s - ref > MAX_OFFSET || readInt(src, ref) != readInt(src, s));

                // Extend the match backwards over the literals before it.
                while (s > anchor && ref > srcOff && src[s - 1] == src[ref - 1]) {
                    s--;
                    ref--;
                }
                int literals = s - anchor;
                int token = d;
                ensureRoom(d, 1 + extraLengthBytes(literals) + literals + 2, destEnd);
                dest[token] = (byte) (Math.min(literals, NIBBLE_MAX) << 4);
                d = writeLength(dest, d + 1, literals);
                System.arraycopy(src, anchor, dest, d, literals);
                d += literals;

                while (true) {
                    dest[d] = (byte) (s - ref);
                    dest[d + 1] = (byte) ((s - ref) >>> 8);
                    d += 2;
                    int length = matchLength(src, ref + MIN_MATCH, s + MIN_MATCH, matchLimit);
                    s += MIN_MATCH + length;
                    ensureRoom(d, extraLengthBytes(length), destEnd);
                    d = writeLength(dest, d, length);
                    dest[token] |= (byte) Math.min(length, NIBBLE_MAX);
                    if (s > findLimit) {
                        anchor = s;
                        break search;
                    }
                    table[hash(readInt(src, s - 2))] = base + s - 2;
                    ref = swap(src, s, base, srcOff);
                    if (s - ref > MAX_OFFSET || readInt(src, ref) != readInt(src, s)) {
                        break;
                    }
                    // A match right after a match: a sequence without literals.
                    ensureRoom(d, 1 + 2, destEnd);
                    token = d++;
                    dest[token] = 0;
                }
                anchor = s++;
            }
        }
        int literals = srcEnd - anchor;
        ensureRoom(d, 1 + extraLengthBytes(literals) + literals, destEnd);
        dest[d] = (byte) (Math.min(literals, NIBBLE_MAX) << 4);
        d = writeLength(dest, d + 1, literals);
        System.arraycopy(src, anchor, dest, d, literals);
        return d + literals - destOff;
    }

    /**
     * Starts this call's generation and returns it: a value above every entry of earlier calls,
     * with room for {@code length} positions after it.
     */
    private int startGeneration(int length) {
        if (generation > Integer.MAX_VALUE - length) {
            Arrays.fill(table, 0);
            generation = 1;
        }
        int g = generation;
        generation += length;
        return g;
    }

    /**
     * Stores position {@code s} under its 4 bytes' hash and returns the position stored there before
     * ({@code srcOff} if that entry is from an earlier call or never set).
     */
    private int swap(byte[] src, int s, int base, int srcOff) {
        int h = hash(readInt(src, s));
        int ref = table[h] - base;
        table[h] = base + s;
        return Math.max(ref, srcOff);
    }

    private static int hash(int word) {
        return (word * -1640531535) >>> (32 - HASH_LOG);
    }

    private static int readInt(byte[] b, int at) {
        return (int) INT.get(b, at);
    }

    /** Equal bytes at {@code ref} and {@code s}, comparing no byte at or past {@code limit}. */
    private static int matchLength(byte[] src, int ref, int s, int limit) {
        int start = s;
        while (s <= limit - Long.BYTES) {
            long diff = (long) LONG.get(src, s) ^ (long) LONG.get(src, ref);
            if (diff != 0) {
                return s - start + (Long.numberOfTrailingZeros(diff) >>> 3);
            }
            s += Long.BYTES;
            ref += Long.BYTES;
        }
        while (s < limit && src[s] == src[ref]) {
            s++;
            ref++;
        }
        return s - start;
    }

    /** Bytes after a nibble that a length of {@code n} needs. */
    private static int extraLengthBytes(int n) {
        return n < NIBBLE_MAX ? 0 : (n - NIBBLE_MAX) / 255 + 1;
    }

    /**
     * Writes the bytes after the nibble of a length of {@code n} (none under 15), which
     * {@link #ensureRoom} made room for.
     */
    private static int writeLength(byte[] dest, int d, int n) {
        if (n < NIBBLE_MAX) {
            return d;
        }
        int rest = n - NIBBLE_MAX;
        while (rest >= 255) {
            dest[d++] = (byte) 255;
            rest -= 255;
        }
        dest[d++] = (byte) rest;
        return d;
    }

    /** Checks that {@code n} more bytes fit from {@code d}, before any of them is written. */
    private static void ensureRoom(int d, int n, int destEnd) {
        if (n > destEnd - d) {
            throw new IllegalArgumentException("the LZ4 block does not fit in the destination");
        }
    }
}

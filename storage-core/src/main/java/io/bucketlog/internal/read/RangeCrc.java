package io.bucketlog.internal.read;

/**
 * The CRC32C of any range of a byte stream from two states of one pass over it, so that a search
 * can test many overlapping candidate frames while reading each byte once.
 *
 * <p>CRC32C's register is updated linearly: from state {@code s}, bytes {@code D} lead to
 * {@code Z(s) ^ F(D)}, where {@code Z} is the effect of {@code |D|} zero bytes and {@code F(D)}
 * the state {@code D} leads to from 0. A pass from state 0 records {@code R(x)} at each offset;
 * then {@code F(D[a, b)) = R(b) ^ Z_(b-a)(R(a))}, and the standard CRC (initial state and final
 * value inverted) is {@code ~(Z_(b-a)(~0 ^ R(a)) ^ R(b))}. {@code Z_n} is applied as a product of
 * the precomputed operators for 2^k zero bytes: 32 steps of 32 bits at most.
 */
final class RangeCrc {
    private static final int POLY = 0x82F63B78; // CRC32C, reflected
    private static final int[] TABLE = new int[256];
    /** ZEROS[k][i]: the state 2^k zero bytes lead to from the state with only bit i set. */
    private static final int[][] ZEROS = new int[63][32];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            TABLE[i] = c;
        }
        for (int i = 0; i < 32; i++) {
            ZEROS[0][i] = update(1 << i, (byte) 0);
        }
        for (int k = 1; k < ZEROS.length; k++) {
            for (int i = 0; i < 32; i++) {
                ZEROS[k][i] = apply(ZEROS[k - 1], ZEROS[k - 1][i]);
            }
        }
    }

    private RangeCrc() {
    }

    /** The raw register after one more byte (no inversion: the pass starts from state 0). */
    static int update(int state, byte b) {
        return TABLE[(state ^ b) & 0xFF] ^ (state >>> 8);
    }

    /**
     * The standard CRC32C of the {@code length} bytes between two offsets of one pass, given the
     * raw states there.
     */
    static int crc(int stateAtStart, int stateAtEnd, long length) {
        int s = ~stateAtStart;
        for (int k = 0; length != 0; k++, length >>>= 1) {
            if ((length & 1) != 0) {
                s = apply(ZEROS[k], s);
            }
        }
        return ~(s ^ stateAtEnd);
    }

    private static int apply(int[] operator, int state) {
        int out = 0;
        for (int i = 0; state != 0; i++, state >>>= 1) {
            if ((state & 1) != 0) {
                out ^= operator[i];
            }
        }
        return out;
    }
}

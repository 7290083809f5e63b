package io.bucketlog.brigade;

import java.security.SecureRandom;

/**
 * A brigade run's writer id: 64 random bits in the same base 32 as a writer id, so its merged buckets and
 * its index bucket are named like any writer's and no two runs collide without coordinating.
 */
final class BrigadeId {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private BrigadeId() {
    }

    static String next() {
        long v = RANDOM.nextLong();
        char[] out = new char[13];
        for (int i = 12; i >= 0; i--) {
            out[i] = BASE32[(int) (v & 31)];
            v >>>= 5;
        }
        return new String(out);
    }
}

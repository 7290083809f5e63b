package io.bucketlog.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BloomFilterTest {
    /** The hash as the format defines it: FNV-1a over the UTF-8 bytes, then MurmurHash3's finaliser. */
    private static long reference(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    @Test
    void hashesTheUtf8BytesOfAnyString() {
        Random r = new Random(7);
        String[] fixed = {"", "user-42", "é", "日本", "\uD83D\uDE00", "a\uD800b", "\uDC00", "\u07FF\u0800"};
        for (String s : fixed) {
            assertThat(BloomFilter.hash(s)).as(s).isEqualTo(reference(s));
        }
        for (int i = 0; i < 2000; i++) {
            char[] c = new char[r.nextInt(20)];
            for (int j = 0; j < c.length; j++) {
                c[j] = (char) (r.nextBoolean() ? r.nextInt(128) : r.nextInt(0x10000));
            }
            String s = new String(c);
            assertThat(BloomFilter.hash(s)).as("random string %d", i).isEqualTo(reference(s));
        }
    }

    @Test
    void neverForgetsAKeyAndRarelyInventsOne() {
        BloomFilter f = BloomFilter.forKeys(1000);
        for (int i = 0; i < 1000; i++) {
            f.add("user-" + i);
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(f.mightContain("user-" + i)).isTrue();
        }
        int falsePositives = 0;
        for (int i = 1000; i < 11000; i++) {
            if (f.mightContain("user-" + i)) {
                falsePositives++;
            }
        }
        assertThat(falsePositives).as("false positives of 10000").isLessThan(300);
    }
}

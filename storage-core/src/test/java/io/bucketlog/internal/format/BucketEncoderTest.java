package io.bucketlog.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Compression;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BucketEncoderTest {
    private static final String WRITER = "w1";

    /** An event whose key is given as a reused buffer or as a {@code String}. */
    private static final class Event implements RecordSource {
        final StringBuilder keyBuffer = new StringBuilder();
        final byte[] body = new byte[150];
        CharSequence key;
        long ts;
        int attributes;

        @Override
        public CharSequence key() {
            return key;
        }

        @Override
        public long timestampNanos() {
            return ts;
        }

        @Override
        public int attributeCount() {
            return attributes;
        }

        @Override
        public String attributeName(int i) {
            return "a" + i;
        }

        @Override
        public CharSequence attributeValue(int i) {
            return i == 0 ? key : "v" + ts % 7; // the key again, as a logging key template makes it
        }

        @Override
        public CharSequence textBody() {
            return null;
        }

        @Override
        public byte[] bodyBytes() {
            return body;
        }

        @Override
        public int bodyLength() {
            return body.length;
        }
    }

    /**
     * The whole bucket (blocks cut at 4 KiB, footer, trailer) of {@code events} random events, each
     * key given as a {@code String} or, with {@code buffers}, as a buffer or a {@code String} at
     * random: a key's hash and content must not depend on how it is given, even when the same key
     * comes both ways in one block.
     */
    private static byte[] bucket(long seed, int events, boolean buffers) {
        Random r = new Random(seed);
        Random how = new Random(seed + 1);
        String[] keys = new String[3_000];
        for (int i = 0; i < keys.length; i++) {
            int kind = r.nextInt(5);
            keys[i] = kind == 0 ? "Aa".repeat(1 + r.nextInt(3)) + "BB".repeat(r.nextInt(3)) // one hash
                    : kind == 1 ? "ключ-" + i : kind == 2 ? "a-key-longer-than-24-chars-" + i
                    : kind == 3 ? "\u00e9" + i : "u" + (1_000_000 + i);
        }
        BucketHeader header = new BucketHeader(Compression.LZ4, 0, 86_400_000_000_000L, 0, 0, WRITER, "s");
        BucketEncoder encoder = new BucketEncoder(header, 4096, 4096, false);
        ByteSink bucket = new ByteSink(1 << 16);
        ByteSink frame = new ByteSink(1 << 14);
        Event e = new Event();
        for (int i = 0; i < events; i++) {
            String key = keys[r.nextInt(keys.length)];
            if (buffers && how.nextInt(4) != 0) {
                e.keyBuffer.setLength(0);
                e.keyBuffer.append(key);
                e.key = e.keyBuffer;
            } else {
                e.key = key;
            }
            e.ts = 1_000L * i + r.nextInt(100_000);
            e.attributes = r.nextInt(3);
            r.nextBytes(e.body);
            assertThat(encoder.add(e, WRITER, i, 1 << 20)).isPositive();
            if (encoder.blockFull()) {
                frame.clear();
                encoder.encodeBlock(frame, bucket.size());
                bucket.writeBytes(frame.array(), 0, frame.size());
            }
        }
        frame.clear();
        encoder.encodeBlock(frame, bucket.size());
        bucket.writeBytes(frame.array(), 0, frame.size());
        frame.clear();
        encoder.encodeSeal(frame, bucket.size());
        bucket.writeBytes(frame.array(), 0, frame.size());
        return bucket.toByteArray();
    }

    @Test
    void keysGivenAsBuffersOrAsStringsMakeTheSameBucket() {
        byte[] fromStrings = bucket(7, 30_000, false);
        byte[] fromBuffers = bucket(7, 30_000, true);

        assertThat(fromStrings.length).as("several hundred blocks").isGreaterThan(100 * 4096);
        assertThat(Arrays.mismatch(fromBuffers, fromStrings)).as("the first byte that differs")
                .isEqualTo(-1);
    }
}

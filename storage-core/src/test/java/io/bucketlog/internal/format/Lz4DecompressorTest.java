package io.bucketlog.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * Our LZ4 block decompressor against lz4-java's compressors (the writer's fast one and the high
 * compression one, whose long and overlapping matches differ): every input comes back byte for
 * byte, and damaged or hostile blocks fail with {@link CorruptDataException} without touching a
 * byte outside the output range.
 */
class Lz4DecompressorTest {
    private static final LZ4Compressor FAST = LZ4Factory.safeInstance().fastCompressor();
    private static final LZ4Compressor HIGH = LZ4Factory.safeInstance().highCompressor();

    @Test
    void whatLz4JavaCompressesComesBackByteForByte() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 3_000; i++) {
            byte[] raw = input(random);
            for (LZ4Compressor c : new LZ4Compressor[] {FAST, HIGH}) {
                byte[] compressed = compress(c, raw);
                int off = random.nextInt(8);
                byte[] out = new byte[off + raw.length + 8];
                decompress(pad(compressed, 3), 3, compressed.length, out, off, raw.length);
                assertThat(Arrays.copyOfRange(out, off, off + raw.length)).isEqualTo(raw);
            }
        }
    }

    @Test
    void aDecompressionRunInStepsWritesOnlyWhatItReturnsAndEndsAsOneRunAtOnce() {
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 2_000; i++) {
            byte[] raw = input(random);
            byte[] compressed = compress(random.nextBoolean() ? FAST : HIGH, raw);
            byte[] out = new byte[raw.length + 8];
            Arrays.fill(out, (byte) 0x5A);
            Lz4Decompressor z = new Lz4Decompressor(compressed, 0, compressed.length, out, 4,
                    raw.length);
            int written = 4;
            while (written < 4 + raw.length) {
                int need = Math.min(4 + raw.length, written + 1 + random.nextInt(600));
                int now = z.fillTo(need);
                assertThat(now).isGreaterThanOrEqualTo(need).isLessThanOrEqualTo(4 + raw.length);
                int touched = -1;
                for (int k = now; k < out.length && touched < 0; k++) {
                    touched = out[k] == 0x5A ? -1 : k;
                }
                assertThat(touched).as("a byte written past %d", now).isEqualTo(-1);
                assertThat(Arrays.copyOfRange(out, 4, now)).isEqualTo(Arrays.copyOf(raw, now - 4));
                written = now;
            }
            assertThat(z.fillTo(4 + raw.length)).as("asked again at the end")
                    .isEqualTo(4 + raw.length);
        }
        // A run asked for only part of a block does not read its damaged end; asked for the end,
        // it fails as a whole run does.
        StringBuilder text = new StringBuilder();
        for (int k = 0; text.length() < 8_000; k++) {
            text.append("event ").append(k * 7_919 % 100_000).append(" of user ").append(k % 97)
                    .append('\n');
        }
        byte[] raw = text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] block = compress(FAST, raw);
        byte[] cut = Arrays.copyOf(block, block.length - 20);
        Lz4Decompressor part = new Lz4Decompressor(cut, 0, cut.length, new byte[raw.length], 0,
                raw.length);
        assertThat(part.fillTo(1_000)).isGreaterThanOrEqualTo(1_000);
        assertThatThrownBy(() -> part.fillTo(raw.length)).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void aRunAskedForPartOfABlockWhoseOutputAMatchCompletesStillReadsItsLastSequence() {
        // "abcd", then a match of 4 at offset 4: 8 bytes out; then the last sequence, or not.
        byte[] sequences = {0x40, 'a', 'b', 'c', 'd', 0x04, 0x00};
        byte[] valid = Arrays.copyOf(sequences, sequences.length + 1); // a last token, no literals
        assertThat(new Lz4Decompressor(valid, 0, valid.length, new byte[8], 0, 8).fillTo(5))
                .isEqualTo(8);
        byte[] unended = sequences;
        byte[] trailing = Arrays.copyOf(sequences, sequences.length + 1);
        trailing[sequences.length] = (byte) 0xFF;
        for (byte[] block : new byte[][] {unended, trailing}) {
            assertThatThrownBy(() -> new Lz4Decompressor(block, 0, block.length, new byte[8], 0, 8)
                    .fillTo(5)).isInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void aDamagedBlockFailsAsCorruptAndWritesNothingOutsideItsOutput() {
        SplittableRandom random = new SplittableRandom(8);
        int failed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] raw = input(random);
            byte[] block = compress(random.nextBoolean() ? FAST : HIGH, raw);
            switch (random.nextInt(4)) {
                case 0 -> block[random.nextInt(block.length)] ^= (byte) (1 + random.nextInt(255));
                case 1 -> block = Arrays.copyOf(block, random.nextInt(block.length));
                case 2 -> {
                    for (int k = 0; k < block.length; k++) {
                        block[k] = (byte) random.nextInt(256);
                    }
                }
                default -> {
                    for (int k = 0; k < 1 + random.nextInt(4); k++) {
                        block[random.nextInt(block.length)] = (byte) 0xFF;
                    }
                }
            }
            int expected = raw.length + (random.nextInt(4) == 0 ? random.nextInt(-3, 4) : 0);
            expected = Math.max(0, expected);
            byte[] out = new byte[expected + 32];
            Arrays.fill(out, (byte) 0x5A);
            try {
                decompress(block, 0, block.length, out, 16, expected);
            } catch (CorruptDataException e) {
                failed++;
            }
            for (int k = 0; k < 16; k++) {
                assertThat(out[k]).isEqualTo((byte) 0x5A);
                assertThat(out[16 + expected + k]).isEqualTo((byte) 0x5A);
            }
        }
        assertThat(failed).as("damaged blocks refused").isGreaterThan(10_000);
    }

    @Test
    void aBlockOfAnotherLengthThanTheHeaderSaysIsCorrupt() {
        byte[] raw = "abcabcabcabcabcabcabcabc and some literals at the end".getBytes();
        byte[] block = compress(FAST, raw);
        assertThatThrownBy(() -> decompress(block, 0, block.length,
                new byte[raw.length + 1], 0, raw.length + 1)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("expected " + (raw.length + 1));
        assertThatThrownBy(() -> decompress(block, 0, block.length,
                new byte[raw.length - 1], 0, raw.length - 1)).isInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> decompress(block, 0, 0, new byte[0], 0, 0))
                .isInstanceOf(CorruptDataException.class);
    }

    /** A whole block at once, as a full read of a block decompresses it. */
    static void decompress(byte[] src, int srcOff, int srcLen, byte[] dest, int destOff,
                           int destLen) {
        new Lz4Decompressor(src, srcOff, srcLen, dest, destOff, destLen).fillTo(destOff + destLen);
    }

    /** Random bytes, short-period runs (overlapping matches), text-like records, or a mix. */
    private static byte[] input(SplittableRandom random) {
        int n = random.nextInt(4) == 0 ? random.nextInt(64) : random.nextInt(1 << 14);
        byte[] b = new byte[n];
        int kind = random.nextInt(4);
        int i = 0;
        while (i < n) {
            int piece = Math.min(n - i, 1 + random.nextInt(300));
            int k = kind == 3 ? random.nextInt(3) : kind;
            if (k == 0) {
                for (int j = 0; j < piece; j++) {
                    b[i + j] = (byte) random.nextInt(256);
                }
            } else if (k == 1) {
                int period = 1 + random.nextInt(random.nextBoolean() ? 3 : 20);
                for (int j = 0; j < piece; j++) {
                    b[i + j] = j < period ? (byte) random.nextInt(256) : b[i + j - period];
                }
            } else {
                byte[] word = ("{\"type\":\"page_view\",\"page\":\"/p/" + random.nextInt(1000) + "\"}  ").getBytes();
                for (int j = 0; j < piece; j++) {
                    b[i + j] = word[j % word.length];
                }
            }
            i += piece;
        }
        return b;
    }

    private static byte[] compress(LZ4Compressor c, byte[] raw) {
        byte[] out = new byte[c.maxCompressedLength(raw.length)];
        int n = c.compress(raw, 0, raw.length, out, 0, out.length);
        return Arrays.copyOf(out, n);
    }

    private static byte[] pad(byte[] b, int before) {
        byte[] out = new byte[before + b.length + 5];
        System.arraycopy(b, 0, out, before, b.length);
        return out;
    }
}

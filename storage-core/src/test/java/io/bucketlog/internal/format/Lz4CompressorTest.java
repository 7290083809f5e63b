package io.bucketlog.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Our LZ4 block compressor, with lz4-java as the oracle: what it writes comes back byte for byte
 * through lz4-java's safe decompressor and through {@link Lz4Decompressor}, and, under 64 KiB + 11
 * bytes, it is exactly what lz4-java's fast compressor writes (so it compresses exactly as well).
 */
class Lz4CompressorTest {
    private static final LZ4Compressor LZ4_JAVA = LZ4Factory.safeInstance().fastCompressor();
    private static final LZ4FastDecompressor LZ4_JAVA_DECOMPRESSOR = LZ4Factory.safeInstance().fastDecompressor();
    /** The largest input lz4-java compresses with its 64 KiB table, the one ours matches. */
    private static final int LZ4_JAVA_64K_LIMIT = (1 << 16) + 11 - 1;
    private static final String WRITER = "a3v4ckpeccq0w";

    /** Shared by every try of a property: each call starts on the table the previous one left. */
    private final Lz4Compressor compressor = new Lz4Compressor();

    @Property(tries = 400)
    void everyInputComesBackThroughBothDecompressors(@ForAll("inputs") byte[] raw) {
        assertRoundTrips(compressor, raw);
    }

    @Property(tries = 300)
    void underSixtyFourKiBTheBlockIsLz4JavasByteForByte(@ForAll("inputs") byte[] raw) {
        if (raw.length <= LZ4_JAVA_64K_LIMIT) {
            assertThat(compress(compressor, raw, 0)).isEqualTo(lz4Java(raw));
        }
    }

    @Test
    void everyShortLengthOfEveryKindComesBack() {
        for (int kind = 0; kind < KINDS; kind++) {
            for (int n = 0; n <= 64; n++) {
                byte[] raw = input(kind, n, 31L * n + kind);
                assertRoundTrips(compressor, raw);
                assertThat(compress(compressor, raw, 0)).isEqualTo(lz4Java(raw));
            }
        }
    }

    @Test
    void anInputUnderThirteenBytesIsOneRunOfLiterals() {
        for (int n = 0; n < 13; n++) {
            byte[] zeros = new byte[n];
            byte[] block = compress(compressor, zeros, 0);
            assertThat(block).hasSize(1 + n);
            assertThat(block[0] & 0xFF).isEqualTo(n << 4);
        }
    }

    @Test
    void aBlockEndsWithFiveLiteralsAndItsLastMatchStartsTwelveBytesBeforeTheEnd() {
        int matched = 0;
        for (int kind = 1; kind < KINDS; kind++) {
            for (int n = 13; n < 300; n++) {
                Sequences s = Sequences.of(compress(compressor, input(kind, n, n), 0));
                assertThat(s.lastLiterals).as("kind %d, length %d", kind, n).isGreaterThanOrEqualTo(5);
                if (s.lastMatchStart >= 0) {
                    matched++;
                    assertThat(n - s.lastMatchStart).as("kind %d, length %d", kind, n)
                            .isGreaterThanOrEqualTo(12);
                }
            }
        }
        assertThat(matched).isGreaterThan(1_000);
    }

    @Test
    void theSixtyFourKiBBoundaryAndLargerBlocksComeBack() {
        for (int n : new int[] {65_535, 65_536, 65_537, LZ4_JAVA_64K_LIMIT, LZ4_JAVA_64K_LIMIT + 1, 70_000, 300_000}) {
            for (int kind = 0; kind < KINDS; kind++) {
                byte[] raw = input(kind, n, n + kind);
                assertRoundTrips(compressor, raw);
            }
        }
    }

    @Test
    void aMatchIsNeverFartherBackThanSixtyFourKiB() {
        // Random bytes, whose first positions all go into the table; then zeros, one long match
        // that adds no entries; then the bytes at 8 again, 70,000 bytes after them: the table
        // names that earlier place, too far back for a 16-bit offset.
        SplittableRandom random = new SplittableRandom(3);
        byte[] raw = new byte[140_000];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) random.nextInt(256);
        }
        Arrays.fill(raw, 200, 70_008, (byte) 0);
        System.arraycopy(raw, 8, raw, 70_008, 64);
        assertRoundTrips(compressor, raw);
        assertThat(Sequences.of(compress(compressor, raw, 0)).maxOffset).isLessThanOrEqualTo(65_535);
    }

    @Test
    void realBlockPayloadsComeBackAndTakeNoMoreBytesThanLz4JavasBlocks() {
        long ours = 0;
        long theirs = 0;
        for (int seed = 0; seed < 8; seed++) {
            byte[] payload = logBlockPayload(seed, 64 * 1024);
            assertRoundTrips(compressor, payload);
            ours += compress(compressor, payload, 0).length;
            theirs += lz4Java(payload).length;
        }
        assertThat(ours).isLessThanOrEqualTo(theirs);
    }

    @Test
    void aSecondInputIsCompressedAsByAFreshCompressor() {
        // The first input leaves table entries up to position 60,000. The second holds the same
        // text: an entry of the first call taken as a position of the second would be a match
        // ahead of the position being compressed, or past the second input's end.
        byte[] first = input(2, 60_000, 5);
        byte[] second = Arrays.copyOfRange(first, 0, 4_000);
        byte[] third = Arrays.copyOfRange(first, 30_000, 60_000);
        Lz4Compressor reused = new Lz4Compressor();
        compress(reused, first, 0);
        for (byte[] raw : new byte[][] {second, third, first, second}) {
            for (int off : new int[] {0, 7, 50_000}) {
                byte[] block = compress(reused, raw, off);
                assertThat(block).isEqualTo(compress(new Lz4Compressor(), raw, off));
                // decoded, not only compared: a bug of both instances (a match into the bytes
                // before the input's offset) would compare equal
                assertThat(decompressOurs(block, raw.length)).isEqualTo(raw);
                byte[] theirs = new byte[raw.length];
                LZ4_JAVA_DECOMPRESSOR.decompress(block, 0, theirs, 0, raw.length);
                assertThat(theirs).isEqualTo(raw);
                assertRoundTrips(reused, raw);
            }
        }
    }

    @Test
    void afterTwoGiBOfInputTheTableStartsOverAndStaysCorrect() {
        // Each call moves the table's generation on by its input's length; 2 GiB of zeros (one
        // long match each, fast) take it past the int range, where the table is cleared.
        byte[] zeros = new byte[64 << 20];
        byte[] dest = new byte[Lz4Compressor.maxCompressedLength(zeros.length) / 200];
        byte[] text = input(2, 50_000, 9);
        Lz4Compressor reused = new Lz4Compressor();
        for (int i = 0; i < 34; i++) {
            reused.compress(zeros, 0, zeros.length, dest, 0, dest.length);
            assertThat(compress(reused, text, 0)).isEqualTo(lz4Java(text));
        }
    }

    @Test
    void compressingABlockAllocatesNothingWhereLz4JavaAllocatesItsTable() {
        byte[] payload = logBlockPayload(11, 64 * 1024);
        byte[] dest = new byte[Lz4Compressor.maxCompressedLength(payload.length)];
        Lz4Compressor reused = new Lz4Compressor();
        // The first calls may allocate while the JIT links and compiles them; rounds go on until
        // one allocates nothing, up to a bound.
        double ours = Double.MAX_VALUE;
        for (int round = 0; round < 40 && ours >= 1.0; round++) {
            ours = Math.min(ours, bytesPerCall(() -> reused.compress(payload, 0, payload.length, dest, 0, dest.length)));
        }
        double theirs = bytesPerCall(() -> LZ4_JAVA.compress(payload, 0, payload.length, dest, 0, dest.length));
        assertThat(ours).as("bytes allocated per block").isLessThan(1.0);
        assertThat(theirs).as("lz4-java's bytes per block").isGreaterThanOrEqualTo(16 * 1024);
    }

    private static double bytesPerCall(Runnable call) {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int calls = 20;
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            call.run();
        }
        return (mx.getCurrentThreadAllocatedBytes() - before) / (double) calls;
    }

    @Test
    void aDestinationTooSmallFailsWithoutWritingPastItsEnd() {
        for (int kind = 0; kind < KINDS; kind++) {
            byte[] raw = input(kind, 20_000, kind);
            int exact = compress(compressor, raw, 0).length;
            for (int room : new int[] {0, 1, exact / 2, exact - 1}) {
                byte[] dest = new byte[room + 64];
                Arrays.fill(dest, (byte) 0x5A);
                assertThatThrownBy(() -> compressor.compress(raw, 0, raw.length, dest, 16, room))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("does not fit");
                for (int k = 16 + room; k < dest.length; k++) {
                    assertThat(dest[k]).isEqualTo((byte) 0x5A);
                }
            }
            byte[] dest = new byte[exact];
            assertThat(compressor.compress(raw, 0, raw.length, dest, 0, exact)).isEqualTo(exact);
            assertThat(decompressOurs(dest, raw.length)).isEqualTo(raw);
        }
    }

    @Test
    void aRangeOutsideItsArrayIsRefused() {
        byte[] raw = new byte[100];
        byte[] dest = new byte[200];
        assertThatThrownBy(() -> compressor.compress(raw, 50, 100, dest, 0, 200))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> compressor.compress(raw, 0, 100, dest, 100, 200))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Lz4Compressor.maxCompressedLength(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anLz4BlockOfTheBuilderDecodesToItsRecords() {
        List<Event> events = logEvents(4, 64 * 1024);
        BlockBuilder builder = new BlockBuilder(64 * 1024);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < events.size(); i++) {
                builder.add(new EventRecord().of(events.get(i)), WRITER, 1 + i, Integer.MAX_VALUE);
            }
            ByteSink out = new ByteSink(128 * 1024);
            builder.finish(Compression.LZ4, out);
            byte[] frame = out.toByteArray();
            List<Event> decoded = new ArrayList<>();
            BlockDecoder.decode(frame, Frame.HEADER_BYTES, frame.length - Frame.HEADER_BYTES, "s",
                    WRITER, null, 0, Long.MAX_VALUE, decoded);
            assertThat(decoded).hasSize(events.size());
            for (int i = 0; i < events.size(); i++) {
                assertThat(decoded.get(i).key()).isEqualTo(events.get(i).key());
                assertThat(decoded.get(i).attributes()).isEqualTo(events.get(i).attributes());
                assertThat(decoded.get(i).body()).isEqualTo(events.get(i).body());
            }
        }
    }

    // ---- inputs

    private static final int KINDS = 6;

    @Provide
    Arbitrary<byte[]> inputs() {
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 64)),
                Tuple.of(4, Arbitraries.integers().between(65, 70_000)),
                Tuple.of(1, Arbitraries.of(65_535, 65_536, LZ4_JAVA_64K_LIMIT,
                        LZ4_JAVA_64K_LIMIT + 1)));
        return Combinators.combine(Arbitraries.integers().between(0, KINDS - 1), lengths,
                Arbitraries.longs()).as(Lz4CompressorTest::input);
    }

    /**
     * {@code n} bytes of one kind: random, low-entropy (four symbols), a run of one byte, a short
     * period repeated (overlapping matches), text records, or pieces of all of these.
     */
    private static byte[] input(int kind, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            int piece = Math.min(n - i, kind == 5 ? 1 + random.nextInt(2_000) : n);
            int k = kind == 5 ? random.nextInt(5) : kind;
            switch (k) {
                case 0 -> {
                    for (int j = 0; j < piece; j++) {
                        b[i + j] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> {
                    for (int j = 0; j < piece; j++) {
                        b[i + j] = (byte) ('a' + random.nextInt(4));
                    }
                }
                case 2 -> {
                    byte[] text = textRecords(random, piece);
                    System.arraycopy(text, 0, b, i, piece);
                }
                case 3 -> Arrays.fill(b, i, i + piece, (byte) random.nextInt(256));
                default -> {
                    int period = 2 + random.nextInt(random.nextBoolean() ? 4 : 40);
                    for (int j = 0; j < piece; j++) {
                        b[i + j] = j < period ? (byte) random.nextInt(256) : b[i + j - period];
                    }
                    if (piece > 0 && random.nextBoolean()) {
                        b[i + random.nextInt(piece)] ^= 1; // a break in the period
                    }
                }
            }
            i += piece;
        }
        return b;
    }

    private static byte[] textRecords(SplittableRandom random, int n) {
        StringBuilder s = new StringBuilder(n + 100);
        while (s.length() < n) {
            s.append("{\"level\":\"INFO\",\"logger\":\"com.example.Orders\",\"msg\":\"order ")
                    .append(random.nextInt(1_000_000)).append(" processed for user-")
                    .append(random.nextInt(5_000)).append(" in ").append(random.nextInt(900))
                    .append(" ms\"}\n");
        }
        return Arrays.copyOf(s.toString().getBytes(StandardCharsets.UTF_8), n);
    }

    /** The payload {@link BlockBuilder} gives its codec for a block of log events. */
    private static byte[] logBlockPayload(long seed, int blockBytes) {
        List<Event> events = logEvents(seed, blockBytes);
        BlockBuilder b = new BlockBuilder(blockBytes);
        for (int i = 0; i < events.size(); i++) {
            b.add(new EventRecord().of(events.get(i)), WRITER, 1000 + i, Integer.MAX_VALUE);
        }
        ByteSink out = new ByteSink(2 * blockBytes);
        b.finish(Compression.NONE, out);
        byte[] frame = out.toByteArray();
        return Arrays.copyOfRange(frame, Frame.HEADER_BYTES + BlockBuilder.BODY_HEADER_BYTES, frame.length);
    }

    private static List<Event> logEvents(long seed, int blockBytes) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] levels = {"INFO", "INFO", "INFO", "DEBUG", "WARN"};
        List<Event> out = new ArrayList<>();
        BlockBuilder b = new BlockBuilder(blockBytes);
        long ts = 1_764_576_000_000_000_000L;
        while (b.estimatedBytes() < blockBytes) {
            ts += 10_000 + random.nextInt(40_000);
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("level", levels[random.nextInt(levels.length)]);
            attrs.put("thread", "http-nio-8080-exec-" + random.nextInt(8));
            attrs.put("traceId", Long.toHexString(random.nextLong()));
            String body = "order " + random.nextInt(1_000_000) + " processed for user " + random.nextInt(5000)
                    + " in " + random.nextInt(900) + " ms";
            Event e = new Event("s", "com.example.service.Component" + random.nextInt(20), ts, attrs,
                    body.getBytes(StandardCharsets.UTF_8), new EventId(WRITER, 0));
            b.add(new EventRecord().of(e), WRITER, 1000 + out.size(), Integer.MAX_VALUE);
            out.add(e);
        }
        return out;
    }

    // ---- compressing and checking

    private static void assertRoundTrips(Lz4Compressor c, byte[] raw) {
        byte[] block = compress(c, raw, 0);
        assertThat(block.length).isLessThanOrEqualTo(Lz4Compressor.maxCompressedLength(raw.length));
        assertThat(decompressOurs(block, raw.length)).isEqualTo(raw);
        byte[] theirs = new byte[raw.length];
        int read = LZ4_JAVA_DECOMPRESSOR.decompress(block, 0, theirs, 0, raw.length);
        assertThat(read).isEqualTo(block.length);
        assertThat(theirs).isEqualTo(raw);
    }

    /** Compresses {@code raw} placed at {@code off} in a larger array, into a destination at 3. */
    private static byte[] compress(Lz4Compressor c, byte[] raw, int off) {
        byte[] src = new byte[off + raw.length + 9];
        Arrays.fill(src, (byte) 'a');
        System.arraycopy(raw, 0, src, off, raw.length);
        int max = Lz4Compressor.maxCompressedLength(raw.length);
        byte[] dest = new byte[3 + max];
        int n = c.compress(src, off, raw.length, dest, 3, max);
        return Arrays.copyOfRange(dest, 3, 3 + n);
    }

    private static byte[] decompressOurs(byte[] block, int length) {
        byte[] out = new byte[length];
        Lz4DecompressorTest.decompress(block, 0, block.length, out, 0, length);
        return out;
    }

    private static byte[] lz4Java(byte[] raw) {
        byte[] out = new byte[LZ4_JAVA.maxCompressedLength(raw.length)];
        return Arrays.copyOf(out, LZ4_JAVA.compress(raw, 0, raw.length, out, 0, out.length));
    }

    /** A walk over a block's sequences: where its last match starts, its last literals, offsets. */
    private record Sequences(int lastMatchStart, int lastLiterals, int maxOffset) {
        static Sequences of(byte[] block) {
            int[] at = {0};
            int d = 0;
            int lastMatchStart = -1;
            int maxOffset = 0;
            while (true) {
                int token = block[at[0]++] & 0xFF;
                int literals = length(block, at, token >>> 4);
                at[0] += literals;
                d += literals;
                if (at[0] == block.length) {
                    return new Sequences(lastMatchStart, literals, maxOffset);
                }
                maxOffset = Math.max(maxOffset, (block[at[0]] & 0xFF) | (block[at[0] + 1] & 0xFF) << 8);
                at[0] += 2;
                lastMatchStart = d;
                d += length(block, at, token & 0x0F) + 4;
            }
        }

        /** A length whose nibble is {@code nibble}, with the bytes after it; advances {@code at[0]}. */
        private static int length(byte[] block, int[] at, int nibble) {
            int n = nibble;
            if (nibble == 15) {
                int b;
                do {
                    b = block[at[0]++] & 0xFF;
                    n += b;
                } while (b == 255);
            }
            return n;
        }
    }
}

package io.bucketlog.internal.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import io.bucketlog.TestObjects;
import io.bucketlog.spi.ReadableObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How the frame scanner finds the next valid frame after damage. */
class FrameScannerTest {
    private static final int MAX_BODY = 64 << 20;

    @TempDir
    Path dir;

    private static void frame(ByteBuffer out, byte[] body) {
        out.putInt(Frame.BLOCK_MAGIC).putInt(body.length).putInt(Frame.crc(body, 0, body.length)).put(body);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // fails rather than hangs; not a measurement
    void fakeFrameHeadersAfterRealDamageAreSearchedInOnePass() throws IOException {
        int fakes = 300_000; // 3.6 MB of headers, each claiming a 1 MB body with a wrong CRC
        ByteBuffer out = ByteBuffer.allocate((4 << 20) + 2_000).order(ByteOrder.LITTLE_ENDIAN);
        frame(out, "first".getBytes(StandardCharsets.UTF_8));
        long damaged = out.position();
        out.put(new byte[100]); // real damage: no frame starts here
        for (int i = 0; i < fakes; i++) {
            out.putInt(Frame.BLOCK_MAGIC).putInt(1 << 20).putInt(i);
        }
        long last = out.position();
        frame(out, "last".getBytes(StandardCharsets.UTF_8));
        List<String> bodies = new ArrayList<>();
        List<CorruptionReport> reports = new ArrayList<>();
        Scanned scanned = scan(out, "f", bodies, reports);
        assertThat(scanned.end()).isEqualTo(scanned.size());
        assertThat(bodies).containsExactly("first", "last");
        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.offset()).isEqualTo(damaged);
            assertThat(r.problem()).contains((last - damaged) + " bytes skipped");
        });
        // Each byte is read a bounded number of times, not once per fake header covering it.
        assertThat(scanned.bytesRead()).isLessThan(4 * scanned.size());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // fails rather than hangs; not a measurement
    void moreFakeHeadersThanASearchHoldsAtOnceCostAFewPassesAndHideNoValidFrame() throws IOException {
        int fakes = FrameCandidates.MAX + FrameCandidates.MAX / 2;
        int realAt = FrameCandidates.MAX + 1000; // among the ones the first pass cannot hold
        byte[] realBody = "real".getBytes(StandardCharsets.UTF_8);
        int size = 2_000 + fakes * Frame.HEADER_BYTES + 2 * Frame.HEADER_BYTES + 100;
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        frame(out, "first".getBytes(StandardCharsets.UTF_8));
        long damaged = out.position();
        out.put(new byte[100]); // real damage: no frame starts here
        long fakesEnd = out.position() + (long) fakes * Frame.HEADER_BYTES + realBody.length;
        long real = -1;
        for (int i = 0; i < fakes; i++) {
            if (i == realAt) {
                real = out.position();
                frame(out, realBody);
                continue;
            }
            // Each claims a body that ends where the fakes end: all wait at once.
            out.putInt(Frame.BLOCK_MAGIC).putInt((int) (fakesEnd - out.position() - Frame.HEADER_BYTES))
                    .putInt(i);
        }
        assertThat(out.position()).isEqualTo(fakesEnd);
        frame(out, "last".getBytes(StandardCharsets.UTF_8));
        List<String> bodies = new ArrayList<>();
        List<CorruptionReport> reports = new ArrayList<>();
        Scanned scanned = scan(out, "h", bodies, reports);
        assertThat(bodies).containsExactly("first", "real", "last");
        assertThat(reports).extracting(CorruptionReport::offset)
                .containsExactly(damaged, real + Frame.HEADER_BYTES + realBody.length);
        // A pass over the first held candidates, a second from the first refused one, and one
        // after the real frame: a few reads of the file, not one per fake header.
        assertThat(scanned.bytesRead()).isLessThan(4 * scanned.size());
    }

    /** What a scan of a whole file saw: where it ended, the file's size and the bytes it read. */
    private record Scanned(long end, long size, long bytesRead) {
    }

    /** Writes {@code out}'s bytes to a file and scans it whole, as the blocks of a sealed bucket. */
    private Scanned scan(ByteBuffer out, String name, List<String> bodies,
                         List<CorruptionReport> reports) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, java.util.Arrays.copyOf(out.array(), out.position()));
        try (ReadableObject ch = TestObjects.readable(file)) {
            FrameScanner scanner = new FrameScanner(ch, file.toString(), Frame.BLOCK_MAGIC, MAX_BODY,
                    reports::add);
            long end = scanner.scan(0, ch.size(), true, (offset, body, off, len) ->
                    bodies.add(new String(body, off, len, StandardCharsets.UTF_8)));
            return new Scanned(end, ch.size(), scanner.bytesRead());
        }
    }

    @Test
    void theFirstOfOverlappingValidFramesIsTheOneFound() throws IOException {
        byte[] inner = "inner".getBytes(StandardCharsets.UTF_8);
        ByteBuffer innerFrame = ByteBuffer.allocate(Frame.HEADER_BYTES + inner.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        frame(innerFrame, inner);
        ByteBuffer out = ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[7]); // damage
        frame(out, innerFrame.array()); // a valid frame whose body holds a valid frame
        Path file = dir.resolve("g");
        Files.write(file, java.util.Arrays.copyOf(out.array(), out.position()));
        List<Long> offsets = new ArrayList<>();
        List<CorruptionReport> reports = new ArrayList<>();
        try (ReadableObject ch = TestObjects.readable(file)) {
            new FrameScanner(ch, file.toString(), Frame.BLOCK_MAGIC, MAX_BODY, reports::add)
                    .scan(0, ch.size(), true, (offset, body, off, len) -> offsets.add(offset));
        }
        assertThat(offsets).containsExactly(7L);
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.problem()).contains("7 bytes"));
    }

    @Test
    void aRangeCrcFromTwoStatesOfOnePassIsTheCrcOfTheRange() {
        Random random = new Random(42);
        byte[] data = new byte[5000];
        random.nextBytes(data);
        int[] states = new int[data.length + 1];
        for (int i = 0; i < data.length; i++) {
            states[i + 1] = RangeCrc.update(states[i], data[i]);
        }
        for (int t = 0; t < 500; t++) {
            int a = random.nextInt(data.length + 1);
            int b = a + random.nextInt(data.length + 1 - a);
            CRC32C crc = new CRC32C();
            crc.update(data, a, b - a);
            assertThat(RangeCrc.crc(states[a], states[b], b - a)).as("[%d, %d)", a, b)
                    .isEqualTo((int) crc.getValue());
        }
    }
}

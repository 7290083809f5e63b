package io.bucketlog;

import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.internal.format.BlockBuilder;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.EventRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reader does with torn, forged and very many files. */
class ReadRobustnessTest {
    @TempDir
    Path dir;

    /** A complete, valid block frame holding one record whose body says "forged". */
    private static byte[] forgedFrame() {
        BlockBuilder b = new BlockBuilder(1024);
        byte[] forged = "forged".getBytes(StandardCharsets.UTF_8);
        b.add(new EventRecord().of(new Event("s", "victim", nowNanos(), Map.of(), forged,
                new EventId("forger0000000", 1))), "forger0000000", 1, 1 << 20);
        ByteSink out = new ByteSink(256);
        b.finish(Compression.NONE, out);
        return out.toByteArray();
    }

    @Test
    void aFrameInsideATornBlocksBodyIsNeverReadAsEvents() throws IOException {
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(1 << 20)
                    .compression(Compression.NONE).build());
            byte[] payload = new byte[400];
            byte[] forged = forgedFrame();
            System.arraycopy(forged, 0, payload, 100, forged.length);
            try (Writer w = store.writer(options().build())) {
                w.append("s", "real", nowNanos(), Map.of(), payload);
                flush(w);
                Path bucket;
                try (Stream<Path> files = Files.walk(dir)) {
                    bucket = files.filter(p -> p.toString().endsWith(".bkt")).findFirst().orElseThrow();
                }
                // What a crash in the middle of writing the block leaves: its end is missing.
                long size = Files.size(bucket);
                try (FileChannel ch = FileChannel.open(bucket, StandardOpenOption.WRITE)) {
                    ch.truncate(size - 20);
                }
                try (EventScan scan = store.scan(ScanRequest.all("s"))) {
                    List<Event> events = new ArrayList<>();
                    scan.forEachRemaining(events::add);
                    assertThat(events).isEmpty();
                    assertThat(scan.corruptions()).as("a torn tail is not damage").isEmpty();
                }
                w.close(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void eventDataShapedLikeAFooterAndTrailerDoesNotSealAnOpenBucket() throws IOException {
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(1 << 20)
                    .compression(Compression.NONE).build());
            byte[] plain = new byte[300];
            java.util.Arrays.fill(plain, (byte) 'p');
            try (Writer w = store.writer(options().build())) {
                long now = nowNanos();
                w.append("s", "k", now, Map.of(), plain);
                flush(w);
                Path bucket;
                try (Stream<Path> files = Files.walk(dir)) {
                    bucket = files.filter(p -> p.toString().endsWith(".bkt")).findFirst().orElseThrow();
                }
                long before = Files.size(bucket);
                long frame = before - headerLength(bucket); // the next block has the same shape
                // A footer with no blocks and a trailer whose CRC is right for it, at the very end
                // of the next event's body: all a reader could check without the seal key.
                ByteSink footer = new ByteSink(64);
                new io.bucketlog.internal.format.FooterBuilder().writeTo(footer);
                int crc = io.bucketlog.internal.format.Frame.crc(footer.array(), 0, footer.size());
                long fileEnd = before + frame;
                long footerAt = fileEnd - io.bucketlog.internal.format.BucketTrailer.BYTES - footer.size();
                ByteSink tail = new ByteSink(64);
                tail.writeBytes(footer.array(), 0, footer.size());
                new io.bucketlog.internal.format.BucketTrailer(footerAt, footer.size(), crc, 12345).writeTo(tail);
                byte[] body = plain.clone();
                System.arraycopy(tail.toByteArray(), 0, body, body.length - tail.size(), tail.size());
                w.append("s", "k", now + 1, Map.of(), body);
                flush(w);
                assertThat(Files.size(bucket)).as("the fake trailer ends the file").isEqualTo(fileEnd);
                try (EventScan scan = store.scan(ScanRequest.all("s"))) {
                    List<Event> events = new ArrayList<>();
                    scan.forEachRemaining(events::add);
                    assertThat(events).hasSize(2);
                    assertThat(scan.corruptions()).isEmpty();
                }
                try (io.bucketlog.spi.ReadableObject ch = TestObjects.readable(bucket)) {
                    assertThat(io.bucketlog.internal.read.BucketFile.sealedBlocksEnd(ch, fileEnd)).isEqualTo(-1);
                }
                w.close(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aFooterThatForgesABlocksRecordCountIsNotTakenForMemoryToAllocate() throws IOException {
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(1 << 20).build());
            try (Writer w = store.writer(options().build())) {
                long now = nowNanos();
                for (int i = 0; i < 10; i++) {
                    w.append("s", "k", now + i, Map.of(), body(i, 20));
                }
                w.close(Duration.ofSeconds(5));
            }
        }
        Path bucket;
        try (Stream<Path> files = Files.walk(dir)) {
            bucket = files.filter(p -> p.toString().endsWith(".bkt")).findFirst().orElseThrow();
        }
        byte[] f = Files.readAllBytes(bucket);
        int trailerAt = f.length - io.bucketlog.internal.format.BucketTrailer.BYTES;
        io.bucketlog.internal.format.BucketTrailer t = io.bucketlog.internal.format.BucketTrailer.parse(
                java.util.Arrays.copyOfRange(f, trailerAt, f.length), f.length);
        int footerAt = (int) t.footerOffset();
        // The footer's first block row: a one-byte block count, then offset (8), length (4),
        // minimum and maximum timestamp (8 each), record count (4).
        int countAt = footerAt + 1 + 8 + 4 + 8 + 8;
        assertThat(io.bucketlog.internal.format.ByteSource.getInt(f, countAt)).as("the row found").isEqualTo(10);
        putInt(f, countAt, Integer.MAX_VALUE - 8);
        putInt(f, trailerAt + 12, io.bucketlog.internal.format.Frame.crc(f, footerAt, t.footerLength()));
        Files.write(bucket, f);

        try (Store store = Store.open(dir); EventScan scan = store.scan(ScanRequest.all("s"))) {
            List<Event> events = new ArrayList<>();
            scan.forEachRemaining(events::add);
            assertThat(events).extracting(e -> new String(e.body(), StandardCharsets.UTF_8))
                    .containsExactly(java.util.stream.IntStream.range(0, 10)
                            .mapToObj(i -> new String(body(i, 20), StandardCharsets.UTF_8)).toArray(String[]::new));
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static long headerLength(Path bucket) throws IOException {
        io.bucketlog.internal.format.ByteSource in = new io.bucketlog.internal.format.ByteSource(Files.readAllBytes(bucket));
        io.bucketlog.internal.format.BucketHeader.readFrom(in);
        return in.position();
    }

    @Test
    void aScanOverManyBucketsKeepsFewFilesOpenAndStopsOpeningWhenItHasEnough() throws IOException {
        try (Store store = Store.open(dir)) {
            // Hundreds of buckets in one index window: 4 KiB buckets rotate after every few events.
            store.createStream("s", StreamConfig.builder().bucketBytes(4096).blockBytes(1024).build());
            long t0 = nowNanos() - Fixtures.HOUR;
            try (Writer w = store.writer(options().build())) {
                for (int i = 0; i < 4000; i++) {
                    w.append("s", "k" + (i % 7), t0 + i * 1_000_000L, Map.of(), body(i, 300));
                }
                flush(w);
            }
            long buckets;
            try (Stream<Path> files = Files.walk(dir)) {
                buckets = files.filter(p -> p.toString().endsWith(".bkt")).count();
            }
            assertThat(buckets).isGreaterThan(200);
            long baseline = openFiles();
            long most = 0;
            long count = 0;
            try (EventScan scan = store.scan(ScanRequest.all("s"))) {
                while (scan.hasNext()) {
                    scan.next();
                    count++;
                    if (count % 50 == 0) {
                        most = Math.max(most, openFiles() - baseline);
                    }
                }
                assertThat(scan.corruptions()).isEmpty();
            }
            assertThat(count).isEqualTo(4000);
            assertThat(most).as("files open at once during the scan").isLessThanOrEqualTo(70);

            try (EventScan scan = store.scan(new ScanRequest("s", null, 0, Long.MAX_VALUE, Direction.BACKWARD))) {
                Event newest = scan.next();
                assertThat(Fixtures.numberOf(newest)).isEqualTo(3999);
                assertThat(scan.stats().bucketsOpened()).as("buckets opened for the newest event").isLessThan(5);
            }
        }
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}

package io.bucketlog;

import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.BucketTrailer;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.read.BucketFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files: every byte flipped, every length truncated. The reader must skip only the
 * damaged block or entry, say so, return every intact event and never throw.
 */
class CorruptionTest {
    private static final int EVENTS = 240;

    @TempDir
    Path dir;
    private Store store;
    private Path bucket;
    private Path index;
    private List<BlockEntry> blocks;
    private long footerOffset;

    /** One sealed bucket of {@value #EVENTS} events in about 40 blocks, and its index bucket. */
    @BeforeEach
    void writeOneSealedBucket() throws IOException {
        store = Store.open(dir);
        store.createStream("s", StreamConfig.builder().bucketBytes(1 << 20).blockBytes(512).build());
        long ts = nowNanos() - 10 * Fixtures.SECOND;
        try (Writer w = store.writer(options().build())) {
            for (int i = 0; i < EVENTS; i++) {
                w.append("s", "k" + i % 4, ts + i, Map.of("level", "INFO"), body(i, 60 + i % 40));
            }
        }
        bucket = single(".bkt");
        index = single(".idx");
        try (BucketFile f = open(bucket)) {
            assertThat(f.sealed()).isTrue();
            blocks = f.blocks();
            footerOffset = blocks.get(blocks.size() - 1).offset() + blocks.get(blocks.size() - 1).length();
        }
        assertThat(blocks.size()).isGreaterThan(10);
    }

    @org.junit.jupiter.api.AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void flippedByteInABlockOfASealedBucketLosesOnlyThatBlock() throws IOException {
        BlockEntry damaged = blocks.get(3);
        flip(bucket, damaged.offset() + Frame.HEADER_BYTES + 30);
        Result r = scan(null);
        assertThat(r.corruptions).singleElement().satisfies(c -> {
            assertThat(c.offset()).isEqualTo(damaged.offset());
            assertThat(c.location()).isEqualTo(bucket.toString());
            assertThat(c.problem()).contains("CRC");
        });
        assertThat(r.events).hasSize(EVENTS - damaged.count());
        // a key lookup through the footer skips the same block and nothing else
        Result k = scan("k1");
        assertThat(k.corruptions).isNotEmpty();
        assertThat(k.events).allMatch(e -> e.key().equals("k1")).hasSizeGreaterThan(EVENTS / 4 - damaged.count());
    }

    @Test
    void flippedByteInTheFooterFallsBackToScanningTheBlocks() throws IOException {
        flip(bucket, footerOffset + 3);
        Result r = scan(null);
        assertThat(r.corruptions).singleElement().satisfies(c -> {
            assertThat(c.offset()).isEqualTo(footerOffset);
            assertThat(c.problem()).contains("footer");
        });
        assertThat(r.events).hasSize(EVENTS);
    }

    @Test
    void everyFlippedByteOfTheTrailerIsReportedAndLosesNothing() throws IOException {
        long size = Files.size(bucket);
        for (long off = size - BucketTrailer.BYTES; off < size; off++) {
            flip(bucket, off);
            Result r = scan(null);
            assertThat(r.events).as("trailer byte " + off).hasSize(EVENTS);
            assertThat(r.corruptions).as("trailer byte " + off).isNotEmpty();
            flip(bucket, off);
        }
    }

    @Test
    void everyFlippedByteOfTheHeaderIsReportedAndLosesNothing() throws IOException {
        long headerEnd = blocks.get(0).offset();
        for (long off = 0; off < headerEnd; off++) {
            flip(bucket, off);
            Result r = scan(null);
            assertThat(r.events).as("header byte " + off).hasSize(EVENTS);
            assertThat(r.corruptions).as("header byte " + off).anyMatch(c -> c.offset() == 0);
            flip(bucket, off);
        }
    }

    @Test
    void flippedByteInAnIndexEntryIsReportedAndTheBucketStillRead() throws IOException {
        long firstEntry = indexFrames().get(0);
        flip(index, firstEntry + Frame.HEADER_BYTES + 2); // inside the "opened" entry
        Result r = scan(null);
        assertThat(r.corruptions).singleElement().satisfies(c -> {
            assertThat(c.location()).isEqualTo(index.toString());
            assertThat(c.offset()).isEqualTo(firstEntry);
        });
        assertThat(r.events).hasSize(EVENTS);
        flip(index, 5); // and in the index header too
        assertThat(scan(null).corruptions).anyMatch(c -> c.location().equals(index.toString()) && c.offset() == 0);
    }

    @Test
    void sweepEveryByteOfASealedBucket() throws IOException {
        byte[] original = Files.readAllBytes(bucket);
        int maxBlock = blocks.stream().mapToInt(BlockEntry::count).max().orElseThrow();
        for (int off = 0; off < original.length; off += 5) {
            byte[] damaged = original.clone();
            damaged[off] ^= 0x5A;
            Files.write(bucket, damaged);
            Result r = scan(null);
            String at = "flipped byte " + off + " of " + original.length;
            assertThat(r.corruptions).as(at).isNotEmpty();
            assertThat(r.events.size()).as(at).isGreaterThanOrEqualTo(EVENTS - maxBlock);
            if (off >= footerOffset || off < blocks.get(0).offset()) {
                assertThat(r.events).as(at + " (outside the blocks)").hasSize(EVENTS);
            }
        }
        Files.write(bucket, original);
        assertThat(scan(null).corruptions).isEmpty();
    }

    @Test
    void truncatedSealedBucketKeepsEveryCompleteBlock() throws IOException {
        byte[] original = Files.readAllBytes(bucket);
        for (int cut = 0; cut < original.length; cut += 5) {
            Files.write(bucket, java.util.Arrays.copyOf(original, cut));
            Result r = scan(null);
            int expected = 0;
            for (BlockEntry b : blocks) {
                if (b.offset() + b.length() <= cut) {
                    expected += b.count();
                }
            }
            String at = "cut at " + cut + " of " + original.length;
            assertThat(r.events).as(at).hasSize(expected);
            assertThat(r.corruptions).as(at + ": the index says the bucket was sealed longer").isNotEmpty();
        }
    }

    @Test
    void sweepEveryByteAndEveryLengthOfTheIndexBucket() throws IOException {
        byte[] original = Files.readAllBytes(index);
        List<Long> frames = indexFrames();
        long lastFrame = frames.get(frames.size() - 1);
        for (int off = 0; off < original.length; off++) {
            byte[] damaged = original.clone();
            damaged[off] ^= 0x01;
            Files.write(index, damaged);
            Result r = scan(null);
            assertThat(r.events).as("index byte " + off).hasSize(EVENTS);
            if (off < lastFrame) { // a bad last frame reads as a torn tail: see FrameScanner
                assertThat(r.corruptions).as("index byte " + off).isNotEmpty();
            }
            Result k = scan("k2");
            assertThat(k.events).as("index byte " + off).hasSize(EVENTS / 4);
        }
        for (int cut = 0; cut < original.length; cut++) {
            Files.write(index, java.util.Arrays.copyOf(original, cut));
            assertThat(scan(null).events).as("index cut at " + cut).hasSize(EVENTS);
        }
    }

    @Test
    void damageInAnOpenBucketLosesOnlyTheDamagedBlock() throws IOException {
        Files.delete(bucket);
        Files.delete(index);
        long ts = nowNanos();
        try (Writer w = store.writer(options().build())) {
            for (int i = 0; i < EVENTS; i++) {
                w.append("s", "k" + i % 4, ts + i, Map.of(), body(i, 60 + i % 40));
                if (i % 10 == 9) {
                    flush(w); // many small blocks
                }
            }
            flush(w);
            Path open = single(".bkt");
            List<BlockEntry> openBlocks;
            try (BucketFile f = open(open)) {
                assertThat(f.sealed()).isFalse();
                openBlocks = f.blocks();
            }
            assertThat(openBlocks).hasSizeGreaterThan(10);
            BlockEntry damaged = openBlocks.get(5);
            flip(open, damaged.offset() + 20);
            Result r = scan(null);
            assertThat(r.corruptions).singleElement().satisfies(c -> assertThat(c.offset()).isEqualTo(damaged.offset()));
            assertThat(r.events).hasSize(EVENTS - damaged.count());
            flip(open, damaged.offset() + 20);

            byte[] original = Files.readAllBytes(open);
            long lastBlock = openBlocks.get(openBlocks.size() - 1).offset();
            int maxBlock = openBlocks.stream().mapToInt(BlockEntry::count).max().orElseThrow();
            for (int off = 0; off < original.length; off += 5) {
                byte[] bad = original.clone();
                bad[off] ^= 0x5A;
                Files.write(open, bad);
                Result s = scan(null);
                String at = "open bucket byte " + off;
                assertThat(s.events.size()).as(at).isGreaterThanOrEqualTo(EVENTS - maxBlock);
                if (off < lastBlock) {
                    assertThat(s.corruptions).as(at).isNotEmpty();
                }
            }
            Files.write(open, original);
        }
    }

    private record Result(List<Event> events, List<CorruptionReport> corruptions) {
    }

    /** Scans everything (or one key); checks that every returned event is intact and unique. */
    private Result scan(String key) {
        List<Event> events = new ArrayList<>();
        try (EventScan s = store.scan(new ScanRequest("s", key, 0, Long.MAX_VALUE, Direction.FORWARD))) {
            s.forEachRemaining(events::add);
            Set<Long> numbers = new HashSet<>();
            for (Event e : events) {
                if (!Fixtures.intact(e) || !numbers.add(Fixtures.numberOf(e))) {
                    throw new AssertionError("damaged or duplicated event returned: " + e);
                }
            }
            return new Result(events, s.corruptions());
        }
    }

    private List<Long> indexFrames() throws IOException {
        byte[] b = Files.readAllBytes(index);
        List<Long> out = new ArrayList<>();
        for (int p = 0; p + 4 <= b.length; p++) {
            if (io.bucketlog.internal.format.ByteSource.getInt(b, p) == Frame.ENTRY_MAGIC) {
                out.add((long) p);
            }
        }
        assertThat(out).hasSize(2); // opened, sealed
        return out;
    }

    private Path single(String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> found = s.filter(p -> p.toString().endsWith(suffix)).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    private static BucketFile open(Path p) throws IOException {
        return BucketFile.open(TestObjects.object(p), StoreLayout.parseBucketName(p.getFileName().toString()), r -> { });
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0xFF));
            b.rewind();
            ch.write(b, offset);
        }
    }
}

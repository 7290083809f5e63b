package io.bucketlog;

import static io.bucketlog.Fixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.internal.format.BlockDecoder;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.BucketFooter;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.BucketTrailer;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import io.bucketlog.internal.format.TimeSlices;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.write.SealedBucketWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket merged from three writers and sorted by key, as the brigade writes it, reads back
 * through the ordinary read path with every event's own id.
 */
class SealedBucketWriterTest {
    private static final String BRIGADE = "brigade000000";
    private static final String[] WRITERS = {"q7w2k4m9x1c3v", "a0b1c2d3e4f5g", "m5n6p7r8s9t0u"};
    private static final Comparator<Event> KEY_ORDER = Comparator.comparing(Event::key)
            .thenComparingLong(Event::timestampNanos).thenComparing(Event::id);
    private static final Comparator<Event> READ_ORDER = Comparator
            .comparingLong(Event::timestampNanos).thenComparing(Event::id);

    @TempDir
    Path dir;

    private final StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20).blockBytes(2048).build();
    private final long window = Math.floorDiv(Fixtures.nowNanos(), config.bucketWidthNanos())
            * config.bucketWidthNanos() - config.bucketWidthNanos();
    private final long indexWindow = Math.floorDiv(window, config.indexWindowNanos())
            * config.indexWindowNanos();

    /** Three writers' events of one window, interleaved as they arrived, some at the same instant. */
    private List<Event> arrivals(int n) {
        Random random = new Random(5);
        long[] seq = {0, 7_000_000_000L, 12};
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int w = random.nextInt(WRITERS.length);
            long ts = window + random.nextInt(3600) * 1_000_000_000L + random.nextInt(3);
            out.add(new Event("s", "user-" + random.nextInt(40), ts,
                    i % 3 == 0 ? Map.of("type", "view", "page", "/p/" + i) : Map.of(),
                    Fixtures.body(i, 10 + i % 200), new EventId(WRITERS[w], seq[w]++)));
        }
        return out;
    }

    /** Writes the merged bucket into the store with its index bucket, as the brigade would. */
    private Path writeMerged(Store store, List<Event> sorted) throws IOException {
        return writeMerged(store, sorted, null);
    }

    /** The same, cut into {@code slices} when they are not null. */
    private Path writeMerged(Store store, List<Event> sorted, TimeSlices slices) throws IOException {
        store.createStream("s", config);
        MemoryObject object = new MemoryObject("merged");
        BucketHeader header = new BucketHeader(config.compression(), window, config.bucketWidthNanos(), 0,
                new Random().nextLong(), BRIGADE, "s");
        IndexEntry.Sealed sealed;
        try (SealedBucketWriter w = SealedBucketWriter.create(object, header, config.blockBytes(), true,
                slices)) {
            for (Event e : sorted) {
                w.add(e);
            }
            sealed = w.seal(false);
        }
        assertThat(object.sealed()).isTrue();
        byte[] bytes = object.toByteArray();
        assertThat(sealed.fileBytes()).isEqualTo(bytes.length);
        assertThat(sealed.count()).isEqualTo(sorted.size());
        Path bucket = Path.of(store.location()).resolve(StoreLayout.bucketFile("s", indexWindow,
                new StoreLayout.BucketName(window, BRIGADE, 0)));
        Files.createDirectories(bucket.getParent());
        Files.write(bucket, bytes);
        ByteSink index = new ByteSink(4096);
        new IndexHeader(indexWindow, config.indexWindowNanos(), BRIGADE, "s").writeTo(index);
        for (IndexEntry entry : List.of(new IndexEntry.Opened(0, window), sealed)) {
            int at = Frame.open(index);
            entry.writeTo(index);
            Frame.close(index, at, Frame.ENTRY_MAGIC);
        }
        Files.write(Path.of(store.location()).resolve(StoreLayout.indexFile("s", indexWindow, BRIGADE)),
                index.toByteArray());
        return bucket;
    }

    @Test
    void aKeySortedBucketOfThreeWritersReadsBackWithEveryEventId() throws IOException {
        List<Event> events = arrivals(3000);
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(KEY_ORDER);
        try (Store store = Store.open(dir)) {
            Path bucket = writeMerged(store, sorted);

            List<Event> expected = new ArrayList<>(events);
            expected.sort(READ_ORDER);
            assertThat(readAll(store, ScanRequest.all("s"))).containsExactlyElementsOf(expected);
            eachKeyReadsBackBothWays(store, expected);

            // sealed, with a footer that knows the keys, and every block flagged as key-ordered
            byte[] bytes = Files.readAllBytes(bucket);
            BucketTrailer trailer = BucketTrailer.parse(
                    Arrays.copyOfRange(bytes, bytes.length - BucketTrailer.BYTES, bytes.length), bytes.length);
            assertThat(trailer).isNotNull();
            BucketFooter footer = BucketFooter.readFrom(new ByteSource(bytes, (int) trailer.footerOffset(),
                    trailer.footerLength()), bytes.length);
            assertThat(footer.keys()).hasSize(40);
            assertThat(footer.eventCount()).isEqualTo(events.size());
            assertThat(footer.blocks()).hasSizeGreaterThan(10);
            for (BlockEntry b : footer.blocks()) {
                BlockDecoder.Header h = BlockDecoder.header(bytes, (int) b.offset() + Frame.HEADER_BYTES,
                        b.length() - Frame.HEADER_BYTES);
                assertThat(h.keyOrdered()).isTrue();
                assertThat(h.format()).isEqualTo(2);
            }
        }
    }

    /** Three keys' events, forward and backward, are {@code expected}'s (in read order) of each. */
    private static void eachKeyReadsBackBothWays(Store store, List<Event> expected) throws IOException {
        for (String key : List.of("user-0", "user-17", "user-39")) {
            List<Event> ofKey = expected.stream().filter(e -> e.key().equals(key)).toList();
            assertThat(ofKey).isNotEmpty();
            assertThat(readAll(store, new ScanRequest("s", key, 0, Long.MAX_VALUE, Direction.FORWARD)))
                    .containsExactlyElementsOf(ofKey);
            List<Event> backward = new ArrayList<>(ofKey);
            Collections.reverse(backward);
            assertThat(readAll(store, new ScanRequest("s", key, 0, Long.MAX_VALUE, Direction.BACKWARD)))
                    .containsExactlyElementsOf(backward);
        }
    }

    private static BucketFooter footerOf(byte[] bytes) {
        BucketTrailer trailer = BucketTrailer.parse(
                Arrays.copyOfRange(bytes, bytes.length - BucketTrailer.BYTES, bytes.length), bytes.length);
        assertThat(trailer).isNotNull();
        return BucketFooter.readFrom(new ByteSource(bytes, (int) trailer.footerOffset(),
                trailer.footerLength()), bytes.length);
    }

    /** Ten minutes each from the window's start: six slices of the hour {@link #arrivals} fill. */
    private TimeSlices tenMinuteSlices() {
        return new TimeSlices(window, 600_000_000_000L);
    }

    /** Writes {@code events} as a merged bucket cut into {@code slices}, in (slice, key, time, id) order. */
    private Path writeSliced(Store store, List<Event> events, TimeSlices slices) throws IOException {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong((Event e) -> slices.sliceOf(e.timestampNanos()))
                .thenComparing(KEY_ORDER));
        return writeMerged(store, sorted, slices);
    }

    @Test
    void aBucketCutIntoTimeSlicesKeepsEachBlockInOneSliceAndReadsBackInEveryOrder() throws IOException {
        List<Event> events = arrivals(3000);
        TimeSlices slices = tenMinuteSlices();
        try (Store store = Store.open(dir)) {
            Path bucket = writeSliced(store, events, slices);

            BucketFooter footer = footerOf(Files.readAllBytes(bucket));
            assertThat(footer.slices()).isEqualTo(slices);
            long previous = Long.MIN_VALUE;
            for (BlockEntry b : footer.blocks()) {
                long slice = slices.sliceOf(b.minTimestamp());
                assertThat(slices.sliceOf(b.maxTimestamp())).as("a block within one slice").isEqualTo(slice);
                assertThat(slice).as("blocks in slice order").isGreaterThanOrEqualTo(previous);
                previous = slice;
            }
            assertThat(previous).isEqualTo(5);

            List<Event> expected = new ArrayList<>(events);
            expected.sort(READ_ORDER);
            assertThat(readAll(store, ScanRequest.all("s"))).containsExactlyElementsOf(expected);
            List<Event> backwardAll = new ArrayList<>(expected);
            Collections.reverse(backwardAll);
            assertThat(readAll(store, new ScanRequest("s", null, 0, Long.MAX_VALUE, Direction.BACKWARD)))
                    .containsExactlyElementsOf(backwardAll);
            eachKeyReadsBackBothWays(store, expected);
            for (String key : List.of("user-0", "user-17", "user-39")) {
                List<Event> ofKey = expected.stream().filter(e -> e.key().equals(key)).toList();
                long from = window + 1_000_000_000_000L;
                long to = window + 2_000_000_000_000L;
                assertThat(readAll(store, new ScanRequest("s", key, from, to, Direction.FORWARD)))
                        .containsExactlyElementsOf(ofKey.stream()
                                .filter(e -> e.timestampNanos() >= from && e.timestampNanos() < to).toList());
            }
        }
    }

    @Test
    void aScanInTimeOrderDecodesOneSliceAtATime() throws IOException {
        List<Event> events = arrivals(3000);
        TimeSlices slices = tenMinuteSlices();
        try (Store store = Store.open(dir)) {
            Path bucket = writeSliced(store, events, slices);
            BucketFooter footer = footerOf(Files.readAllBytes(bucket));
            long firstSlice = footer.blocks().stream()
                    .filter(b -> slices.sliceOf(b.minTimestamp()) == 0).count();
            long lastSlice = footer.blocks().stream()
                    .filter(b -> slices.sliceOf(b.minTimestamp()) == 5).count();
            assertThat(firstSlice).isLessThan(footer.blocks().size() / 3);

            try (EventScan scan = store.scan(ScanRequest.all("s"))) {
                assertThat(scan.hasNext()).isTrue();
                assertThat(scan.next().timestampNanos()).isEqualTo(events.stream()
                        .mapToLong(Event::timestampNanos).min().orElseThrow());
                assertThat(scan.stats().blocksRead()).as("the first slice, nothing after it")
                        .isEqualTo(firstSlice);
            }
            try (EventScan scan = store.scan(new ScanRequest("s", null, 0, Long.MAX_VALUE,
                    Direction.BACKWARD))) {
                assertThat(scan.hasNext()).isTrue();
                scan.next();
                assertThat(scan.stats().blocksRead()).as("the last slice").isEqualTo(lastSlice);
            }
        }
    }

    @Test
    void aSlicedFooterWhoseBlocksBreakTheSlicesIsReportedAndTheBucketReadByItsBlocks()
            throws IOException {
        List<Event> events = arrivals(2000);
        TimeSlices slices = tenMinuteSlices();
        try (Store store = Store.open(dir)) {
            Path bucket = writeSliced(store, events, slices);
            byte[] bytes = Files.readAllBytes(bucket);
            BucketTrailer trailer = BucketTrailer.parse(
                    Arrays.copyOfRange(bytes, bytes.length - BucketTrailer.BYTES, bytes.length), bytes.length);
            // Narrow the slices to one second in the footer (its last eight bytes) and fix the
            // footer's CRC: no block keeps to such slices.
            int widthAt = (int) (trailer.footerOffset() + trailer.footerLength() - 8);
            ByteSink w = new ByteSink(8);
            w.writeLong(1_000_000_000L);
            System.arraycopy(w.array(), 0, bytes, widthAt, 8);
            int crc = Frame.crc(bytes, (int) trailer.footerOffset(), trailer.footerLength());
            ByteSink t = new ByteSink(BucketTrailer.BYTES);
            new BucketTrailer(trailer.footerOffset(), trailer.footerLength(), crc, trailer.sealKey()).writeTo(t);
            System.arraycopy(t.array(), 0, bytes, bytes.length - BucketTrailer.BYTES, BucketTrailer.BYTES);
            assertThatThrownBy(() -> footerOf(bytes)).hasMessageContaining("not within one slice");
            Files.write(bucket, bytes);

            List<Event> expected = new ArrayList<>(events);
            expected.sort(READ_ORDER);
            List<CorruptionReport> reports = new ArrayList<>();
            try (EventScan scan = store.scan(ScanRequest.all("s"))) {
                List<Event> read = new ArrayList<>();
                scan.forEachRemaining(read::add);
                assertThat(read).containsExactlyElementsOf(expected);
                reports.addAll(scan.corruptions());
            }
            assertThat(reports).anySatisfy(r -> assertThat(r.problem()).contains("footer")
                    .contains("not within one slice"));
        }
    }

    @Test
    void aBlockOfASlicedBucketIsCutWhereTheSliceChanges() throws IOException {
        BucketHeader header = new BucketHeader(Compression.LZ4, window, config.bucketWidthNanos(), 0, 1,
                BRIGADE, "s");
        TimeSlices slices = new TimeSlices(window, 1000);
        MemoryObject object = new MemoryObject("m");
        try (SealedBucketWriter w = SealedBucketWriter.create(object, header, 1 << 16, true, slices)) {
            for (long ts : new long[] {window + 5, window + 999, window + 1000, window + 2500}) {
                w.add(new Event("s", "k", ts, Map.of(), "x".getBytes(StandardCharsets.UTF_8),
                        new EventId(WRITERS[0], ts)));
            }
            w.seal(false);
        }
        BucketFooter footer = footerOf(object.toByteArray());
        assertThat(footer.blocks()).extracting(BlockEntry::count).containsExactly(2, 1, 1);
        assertThat(footer.slices()).isEqualTo(slices);
    }

    @Test
    void eventsOutOfKeyOrderOrOutsideTheWindowAreRefused() throws IOException {
        List<Event> events = arrivals(10);
        BucketHeader header = new BucketHeader(Compression.LZ4, window, config.bucketWidthNanos(), 0, 1,
                BRIGADE, "s");
        try (SealedBucketWriter w = SealedBucketWriter.create(new MemoryObject("m"), header, 1024, true)) {
            List<Event> sorted = new ArrayList<>(events);
            sorted.sort(KEY_ORDER);
            w.add(sorted.get(5));
            assertThatThrownBy(() -> w.add(sorted.get(4))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("order");
            Event late = new Event("s", "k", window + config.bucketWidthNanos(), Map.of(),
                    "x".getBytes(StandardCharsets.UTF_8), new EventId(WRITERS[0], 99));
            assertThatThrownBy(() -> w.add(late)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside the bucket's window");
            Event other = new Event("t", sorted.get(6).key(), sorted.get(6).timestampNanos(), Map.of(),
                    sorted.get(6).body(), sorted.get(6).id());
            assertThatThrownBy(() -> w.add(other)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stream t");
        }
    }
}

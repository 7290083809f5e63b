package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.StreamConfig;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.BucketTrailer;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.read.BucketFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a tail tells a sealed bucket from an open one, and what that changes. */
class TailSealedBucketTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final int EVENTS = 40;

    @TempDir
    Path dir;

    private static List<Path> buckets(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".bkt")).sorted().toList();
        }
    }

    private static List<BlockEntry> blocks(Path bucket) throws IOException {
        try (BucketFile f = BucketFile.open(TestObjects.object(bucket),
                StoreLayout.parseBucketName(bucket.getFileName().toString()), r -> { })) {
            assertThat(f.sealed()).isTrue();
            assertThat(f.blocks()).as("blocks of %s", bucket).hasSizeGreaterThan(1);
            return f.blocks();
        }
    }

    /** Everything the tail delivers until it stays quiet for 300 ms. */
    private static List<Event> drain(TailIterator tail) {
        List<Event> got = new ArrayList<>();
        for (Event e = tail.poll(WAIT); e != null; e = tail.poll(Duration.ofMillis(300))) {
            got.add(e);
        }
        return got;
    }

    /** Writes EVENTS events stamped now, a block per 10, and closes the writer: all sealed. */
    private void writeSealed(Store store) {
        store.createStream("s", TestStore.smallConfig());
        long now = TestStore.nowNanos();
        try (Writer w = store.writer(TestStore.writerOptions(2))) {
            for (int i = 0; i < EVENTS; i++) {
                w.append("s", "k", now, Map.of(), ("event " + i).getBytes(StandardCharsets.UTF_8));
                if (i % 10 == 9) {
                    TestStore.flush(w);
                }
            }
        }
    }

    @Test
    void aDamagedLastBlockOfASealedBucketIsReportedNotTakenForATornTail() throws IOException {
        try (Store store = Store.open(dir)) {
            writeSealed(store);
        }
        Path victim = buckets(dir).get(0);
        List<BlockEntry> blocks = blocks(victim);
        BlockEntry last = blocks.get(blocks.size() - 1);
        QueryTest.flipByte(victim, last.offset() + last.length() / 2 + 6); // CRC fails, footer intact

        try (BucketlogReader reader = BucketlogReader.open(dir);
             TailIterator tail = reader.tail("s").from(Cursor.parse("p0.a.0")).iterator()) {
            List<Event> got = drain(tail);
            assertThat(got).hasSize(EVENTS - last.count());
            assertThat(tail.corruptions()).singleElement().satisfies(c -> {
                assertThat(c.location()).isEqualTo(victim.toString());
                assertThat(c.offset()).isEqualTo(last.offset());
            });
        }
    }

    @Test
    void anOpenBucketEndingInBytesThatLookLikeATrailerIsStillFollowed() throws IOException {
        // Uncompressed blocks end with the last event's body: an event can end the bucket with
        // bytes that parse as a trailer whose footer ends right at the end of the file.
        StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20).blockBytes(4096)
                .compression(Compression.NONE).build();
        byte[] plain = new byte[40];
        Arrays.fill(plain, (byte) 'a');
        try (Store store = Store.open(dir)) {
            store.createStream("s", config);
            try (Writer w = store.writer(TestStore.writerOptions(2));
                 BucketlogReader reader = BucketlogReader.open(dir);
                 TailIterator tail = reader.tail("s").iterator()) {
                long now = TestStore.nowNanos();
                w.append("s", "k", now, Map.of(), plain);
                TestStore.flush(w);
                assertThat(tail.poll(WAIT)).isNotNull();

                Path bucket = buckets(dir).get(0);
                byte[] file = Files.readAllBytes(bucket);
                ByteSource in = new ByteSource(file);
                BucketHeader.readFrom(in);
                long blockStart = file.length;
                long frameLength = file.length - in.position(); // the next block's too: same shape
                ByteSink fake = new ByteSink(BucketTrailer.BYTES);
                new BucketTrailer(blockStart, (int) frameLength - BucketTrailer.BYTES, 0x1234567, 42)
                        .writeTo(fake);
                byte[] body = plain.clone();
                System.arraycopy(fake.toByteArray(), 0, body, body.length - BucketTrailer.BYTES,
                        BucketTrailer.BYTES);
                w.append("s", "k", now + 1, Map.of(), body);
                TestStore.flush(w);
                long size = Files.size(bucket);
                assertThat(size).as("the fake trailer lines up").isEqualTo(blockStart + frameLength);
                byte[] end = Arrays.copyOfRange(Files.readAllBytes(bucket), (int) size
                        - BucketTrailer.BYTES, (int) size);
                assertThat(BucketTrailer.parse(end, size)).as("looks like a trailer").isNotNull();

                Event second = tail.poll(WAIT);
                assertThat(second).isNotNull();
                assertThat(second.body()).isEqualTo(body);
                w.append("s", "k", now + 2, Map.of(), "third".getBytes(StandardCharsets.UTF_8));
                TestStore.flush(w);
                Event third = tail.poll(WAIT);
                assertThat(third).isNotNull();
                assertThat(third.bodyText()).isEqualTo("third");
                assertThat(tail.corruptions()).isEmpty();
            }
        }
    }

    @Test
    void startingFromNowDoesNotReadTheBlocksOfSealedBuckets() throws IOException {
        try (Store store = Store.open(dir)) {
            writeSealed(store);
            Path victim = buckets(dir).get(0);
            BlockEntry first = blocks(victim).get(0);
            // Damage that a scan of the blocks would report; the baseline must not need the scan.
            QueryTest.flipByte(victim, first.offset() + first.length() / 2 + 6);
            try (BucketlogReader reader = BucketlogReader.open(dir);
                 TailIterator tail = reader.tail("s").iterator();
                 Writer w = store.writer(TestStore.writerOptions(2))) {
                w.append("s", "k", TestStore.nowNanos(), Map.of(),
                        "new".getBytes(StandardCharsets.UTF_8));
                TestStore.flush(w);
                List<Event> got = drain(tail);
                assertThat(got).extracting(Event::bodyText).containsExactly("new");
                assertThat(tail.corruptions()).isEmpty();
            }
        }
    }
}

package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.write.SealedBucketWriter;
import io.bucketlog.spi.AppendableObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket merged from three writers and sorted by key (what the brigade writes) gives queries and
 * tails every event with its own writer and sequence, not the merged bucket's writer.
 */
class MergedBucketTest {
    private static final String BRIGADE = "brigade000000";
    private static final String[] WRITERS = {"q7w2k4m9x1c3v", "a0b1c2d3e4f5g", "m5n6p7r8s9t0u"};

    @TempDir
    Path dir;

    private final StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20).blockBytes(1024)
            .bucketWidth(Duration.ofMinutes(1)).build();
    /** The minute before this one: ended, and well within a tail's lateness. */
    private final long window = Math.floorDiv(TestStore.nowNanos(), config.bucketWidthNanos())
            * config.bucketWidthNanos() - config.bucketWidthNanos();

    /** Appends to a new file; enough of {@link AppendableObject} for a bucket written in one go. */
    private static final class FileObject implements AppendableObject {
        private final Path path;
        private final FileChannel channel;

        FileObject(Path path) throws IOException {
            this.path = path;
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        @Override
        public String name() {
            return path.getFileName().toString();
        }

        @Override
        public long size() {
            try {
                return channel.size();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void append(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes, offset, length);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        @Override
        public void sync() throws IOException {
            channel.force(true);
        }

        @Override
        public boolean isBroken() {
            return false;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private List<Event> events(int n) {
        Random random = new Random(9);
        long[] seq = {3, 8_000_000_000L, 0};
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int w = random.nextInt(WRITERS.length);
            out.add(new Event("s", "user-" + random.nextInt(20), window + random.nextInt(50_000) * 1_000_000L,
                    Map.of("n", Integer.toString(i)), ("event " + i).getBytes(StandardCharsets.UTF_8),
                    new EventId(WRITERS[w], seq[w]++)));
        }
        return out;
    }

    private void writeMerged(Store store, List<Event> events) throws IOException {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(Event::key).thenComparingLong(Event::timestampNanos)
                .thenComparing(Event::id));
        long indexWindow = Math.floorDiv(window, config.indexWindowNanos()) * config.indexWindowNanos();
        Path path = Path.of(store.location()).resolve(StoreLayout.bucketFile("s", indexWindow,
                new StoreLayout.BucketName(window, BRIGADE, 0)));
        Files.createDirectories(path.getParent());
        BucketHeader header = new BucketHeader(config.compression(), window, config.bucketWidthNanos(), 0,
                new Random().nextLong(), BRIGADE, "s");
        try (SealedBucketWriter w = SealedBucketWriter.create(new FileObject(path), header,
                config.blockBytes(), true)) {
            for (Event e : sorted) {
                w.add(e);
            }
            w.seal(false);
        }
    }

    private static List<Event> all(Query q) {
        try (Stream<Event> s = q.stream()) {
            return s.toList();
        }
    }

    @Test
    void aQueryAndATailGiveEveryEventOfAMergedBucketItsOwnId() throws IOException {
        List<Event> events = events(2000);
        try (Store store = Store.open(dir)) {
            store.createStream("s", config);
            try (BucketlogReader reader = BucketlogReader.open(dir);
                 TailIterator tail = reader.tail("s").iterator()) {
                assertThat(tail.poll(Duration.ofMillis(50))).isNull();
                writeMerged(store, events);

                List<Event> got = new ArrayList<>();
                while (got.size() < events.size()) {
                    Event e = tail.poll(Duration.ofSeconds(30));
                    assertThat(e).as("event %d of %d", got.size(), events.size()).isNotNull();
                    got.add(e);
                }
                assertThat(tail.poll(Duration.ofMillis(300))).as("no extra event").isNull();
                assertThat(got).containsExactlyInAnyOrderElementsOf(events);
                assertThat(tail.corruptions()).isEmpty();

                List<Event> byTime = new ArrayList<>(events);
                byTime.sort(Comparator.comparingLong(Event::timestampNanos).thenComparing(Event::id));
                assertThat(all(reader.query("s"))).containsExactlyElementsOf(byTime);
                List<Event> ofKey = byTime.stream().filter(e -> e.key().equals("user-7")).toList();
                assertThat(ofKey).isNotEmpty();
                assertThat(all(reader.query("s").key("user-7"))).containsExactlyElementsOf(ofKey);
            }
        }
    }
}

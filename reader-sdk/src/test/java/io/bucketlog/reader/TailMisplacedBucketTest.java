package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.StreamConfig;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import io.bucketlog.internal.store.StoreLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live tail takes a bucket only from the place its header names, like a query. */
class TailMisplacedBucketTest {
    private static final long DAY = 86_400L * TestStore.SECOND;

    @TempDir
    Path dir;

    private static Path onlyBucket(Path streamDir) throws IOException {
        try (Stream<Path> s = Files.walk(streamDir)) {
            List<Path> found = s.filter(p -> p.toString().endsWith(".bkt")).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    /** One writer per stream: their buckets' names differ. */
    private static void write(Store store, String stream, int n) {
        try (Writer w = store.writer(TestStore.writerOptions(2))) {
            for (int i = 0; i < n; i++) {
                w.append(stream, "k", TestStore.nowNanos(), Map.of(),
                        (stream + " " + i).getBytes(StandardCharsets.UTF_8));
            }
            TestStore.flush(w);
        }
    }

    @Test
    void aBucketCopiedIntoAnotherWindowOrStreamIsReportedByALiveTailNotDelivered() throws IOException {
        StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20).build(); // 1 day windows
        try (Store store = Store.open(dir)) {
            store.createStream("a", config);
            store.createStream("b", config);
        }
        try (BucketlogReader reader = BucketlogReader.builder().directories(dir).jmx(false).build();
             TailIterator tail = reader.tail("a").iterator()) {
            assertThat(tail.poll(Duration.ofMillis(50))).isNull(); // following before any data
            try (Store store = Store.open(dir)) {
                write(store, "a", 5);
                write(store, "b", 3);
            }
            Path real = onlyBucket(dir.resolve("a"));
            long window = StoreLayout.parseWindowName(real.getParent().getFileName().toString());
            Path nextDay = real.getParent().resolveSibling(StoreLayout.windowName(window + DAY));
            Files.createDirectories(nextDay);
            Path inOtherWindow = Files.copy(real, nextDay.resolve(real.getFileName()));
            Path fromB = onlyBucket(dir.resolve("b"));
            Path inOtherStream = Files.copy(fromB, real.resolveSibling(fromB.getFileName()));

            List<Event> got = new ArrayList<>();
            for (Event e = tail.poll(Duration.ofSeconds(30)); e != null;
                    e = tail.poll(Duration.ofMillis(500))) {
                got.add(e);
            }
            assertThat(got).extracting(Event::bodyText)
                    .containsExactly("a 0", "a 1", "a 2", "a 3", "a 4");
            assertThat(tail.corruptions()).extracting(CorruptionReport::location)
                    .containsExactlyInAnyOrder(inOtherWindow.toString(), inOtherStream.toString());
            assertThat(tail.corruptions()).allSatisfy(
                    r -> assertThat(r.problem()).startsWith("a misplaced bucket, not read"));
            assertThat(tail.corruptions()).filteredOn(r -> r.location().equals(inOtherStream.toString()))
                    .singleElement().satisfies(r -> assertThat(r.problem()).contains("stream 'b'"));
        }
    }
}

package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's window cache gives a query the window the catalog made before only while the
 * listings and index views it was made of are the very ones the query gets: queries of a quiet
 * store make no window again, and a bucket sealed behind an unchanged listing (its index grew,
 * its directory did not) is seen sealed by the next query.
 */
class WindowCacheTest {
    private static final StreamConfig CONFIG = TestStore.quietConfig(Duration.ofMinutes(1));

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong();
    private final List<CorruptionReport> reports = new CopyOnWriteArrayList<>();

    @Test
    void queriesOfAQuietStoreMakeNoWindowAgain() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            List<String> written = new ArrayList<>(TestStore.writeSealed(store, TestStore.minutesAgo(3), "a", 40));
            try (BucketlogReader reader = reader()) {
                TestStore.servedQuery(dir, reader, clock);
                long made = reader.counters().windowsMade.sum();
                assertThat(made).as("windows made while the listings settled").isPositive();
                for (int i = 0; i < 3; i++) {
                    assertThat(TestStore.bodies(reader))
                            .containsExactlyInAnyOrderElementsOf(written);
                }
                assertThat(reader.counters().windowsMade.sum()).isEqualTo(made);
                // A new bucket changes the listing: the window is made again and the bucket read.
                written.addAll(TestStore.writeSealed(store, TestStore.minutesAgo(3), "b", 40));
                assertThat(TestStore.bodies(reader)).containsExactlyInAnyOrderElementsOf(written);
                assertThat(reader.counters().windowsMade.sum()).isGreaterThan(made);
            }
        }
        assertThat(reports).isEmpty();
    }

    @Test
    void aBucketSealedBehindAnUnchangedListingIsSeenSealedByTheNextQuery() throws Exception {
        long minute = TestStore.minutesAgo(3);
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            Writer w = store.writer(TestStore.writerOptions(4));
            List<String> written = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                w.append("s", "k" + i % 3, minute + i * 1_000_000L, Map.of(),
                        ("a" + i).getBytes(StandardCharsets.UTF_8));
                written.add("a" + i);
            }
            TestStore.flush(w);
            try (BucketlogReader reader = reader()) {
                TestStore.servedQuery(dir, reader, clock);
                // Open, the bucket is opened even for a key it does not hold.
                assertThat(opened(reader, "nobody")).isEqualTo(1);
                Path window = onlyWindow();
                List<String> namesBefore = names(window);
                FileTime old = Files.getLastModifiedTime(window);
                long made = reader.counters().windowsMade.sum();
                w.close(); // seals the bucket: its writer's index bucket grows
                Files.setLastModifiedTime(window, old);
                assertThat(names(window)).as("the seal created or removed nothing")
                        .isEqualTo(namesBefore);
                // Sealed, the index's key filter prunes it before opening.
                assertThat(opened(reader, "nobody")).isZero();
                assertThat(reader.counters().windowsMade.sum()).isGreaterThan(made);
                assertThat(TestStore.bodies(reader)).containsExactlyInAnyOrderElementsOf(written);
            }
        }
        assertThat(reports).isEmpty();
    }

    private long opened(BucketlogReader reader, String key) {
        try (QueryResult q = reader.query("s").key(key).iterator()) {
            while (q.hasNext()) {
                q.next();
            }
            return q.stats().bucketsOpened();
        }
    }

    private Path onlyWindow() throws IOException {
        try (Stream<Path> windows = Files.list(dir.resolve("s"))) {
            List<Path> w = windows.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().equals("rollup")).toList();
            assertThat(w).hasSize(1);
            return w.get(0);
        }
    }

    private static List<String> names(Path window) throws IOException {
        try (Stream<Path> files = Files.list(window)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private BucketlogReader reader() {
        return BucketlogReader.builder().directories(dir).jmx(false).onCorruption(reports::add)
                .nanoClock(clock::get).build();
    }
}

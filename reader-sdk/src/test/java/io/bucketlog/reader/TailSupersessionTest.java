package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.StreamConfig;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.write.SealedBucketWriter;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live tail and a compactor's merge: while a merged copy of the tailed bucket (the same events,
 * each with its own id, as the brigade writes it) is written and committed, and the original
 * deleted, the tail keeps polling on its own thread, and no event reaches it twice.
 */
class TailSupersessionTest {
    private static final int EVENTS = 20;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MERGER = "brigade0";

    @TempDir
    Path dir;
    @TempDir
    Path scratch;

    private final StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20).build();
    private final long ts = TestStore.nowNanos();
    private final long window = Math.floorDiv(ts, config.indexWindowNanos()) * config.indexWindowNanos();

    /** EVENTS events of one writer, flushed and sealed (one bucket: one bucket window). */
    private String write(Store store) {
        try (Writer w = store.writer(TestStore.writerOptions(2))) {
            for (int i = 0; i < EVENTS; i++) {
                w.append("s", "k", ts + i, Map.of(), ("event " + i).getBytes(StandardCharsets.UTF_8));
            }
            TestStore.flush(w);
            return w.writerId();
        }
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static IndexEntry.BucketRef ref(Path bucket) {
        return StoreLayout.parseBucketName(bucket.getFileName().toString()).ref();
    }

    private static List<String> bodies(List<Event> events) {
        return events.stream().map(Event::bodyText).toList();
    }

    @Test
    void aLiveTailDeliversNoEventTwiceWhileAMergeOfItsBucketIsCommitted() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", config);
            try (BucketlogReader reader = BucketlogReader.open(store)) {
                List<Event> got = new CopyOnWriteArrayList<>();
                try (TailSubscription tail = reader.tail("s").listen(got::add)) {
                    write(store);
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (got.size() < EVENTS && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    assertThat(got).as("the original bucket, tailed").hasSize(EVENTS);
                    Path original = files(dir, ".bkt").get(0);

                    StoreLayout.BucketName name = placeMergeOf(store, got);
                    Files.write(dir.resolve(StoreLayout.windowPrefix("s", window)).resolve("claim-5eed"),
                            new byte[] {1, 2, 3});
                    Thread.sleep(200); // polls that see the merge before its commit
                    assertThat(got).hasSize(EVENTS);

                    commit(store, ref(original), name.ref());
                    Thread.sleep(500); // polls that see the commit
                    Files.delete(original); // the compactor's grace has passed
                    Thread.sleep(300); // polls that follow the merge alone
                    assertThat(tail.failure()).isNull();
                }
                assertThat(bodies(got)).hasSize(EVENTS).doesNotHaveDuplicates();

                // A query now reads the merge, once.
                List<Event> queried = reader.query("s").list();
                assertThat(queried).containsExactlyInAnyOrderElementsOf(got);

                // A tail that starts after the commit delivers the merge's events, once.
                try (TailIterator late = reader.tail("s").from(Cursor.parse("p0.a.0")).iterator()) {
                    List<Event> again = new ArrayList<>();
                    for (Event e = late.poll(WAIT); e != null; e = late.poll(Duration.ofMillis(300))) {
                        again.add(e);
                    }
                    assertThat(bodies(again)).containsExactlyInAnyOrderElementsOf(bodies(got));
                    assertThat(late.corruptions()).isEmpty();
                }
            }
        }
    }

    @Test
    void aMergeWhoseCommitIsMissingIsNeverRead() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", config);
            write(store);
            placeForeignMerge();
            try (BucketlogReader reader = BucketlogReader.open(store)) {
                QueryResult r = reader.query("s").iterator();
                List<Event> all = new ArrayList<>();
                r.forEachRemaining(all::add);
                assertThat(bodies(all)).hasSize(EVENTS).doesNotHaveDuplicates();
                assertThat(r.corruptions()).isEmpty();
                r.close();
            }
        }
    }

    /**
     * The compactor's merge, not committed: {@code events} sorted by key and time in a sealed
     * bucket of the compactor's own writer id, each event keeping its id, and that writer's index
     * with the bucket's "opened" and "sealed" entries.
     */
    private StoreLayout.BucketName placeMergeOf(Store store, List<Event> events) throws IOException {
        long bucketWindow = Math.floorDiv(ts, config.bucketWidthNanos()) * config.bucketWidthNanos();
        StoreLayout.BucketName name = new StoreLayout.BucketName(bucketWindow, MERGER, 0, false, true);
        Storage volume = store.layout().volume(0);
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(Event::key).thenComparingLong(Event::timestampNanos)
                .thenComparing(Event::id));
        BucketHeader header = new BucketHeader(config.compression(), bucketWindow,
                config.bucketWidthNanos(), 0, new Random().nextLong(), MERGER, "s");
        IndexEntry.Sealed sealed;
        try (SealedBucketWriter w = SealedBucketWriter.create(
                volume.create(StoreLayout.bucketFile("s", window, name)), header, config.blockBytes(), true)) {
            for (Event e : sorted) {
                w.add(e);
            }
            sealed = w.seal(false);
        }
        ByteSink out = new ByteSink(512);
        new IndexHeader(window, config.indexWindowNanos(), MERGER, "s").writeTo(out);
        for (IndexEntry entry : List.of(new IndexEntry.Opened(0, bucketWindow), sealed)) {
            int at = Frame.open(out);
            entry.writeTo(out);
            Frame.close(out, at, Frame.ENTRY_MAGIC);
        }
        assertThat(volume.putIfAbsent(StoreLayout.windowPrefix("s", window) + "index-" + MERGER + ".idx",
                out.toByteArray())).isTrue();
        return name;
    }

    /**
     * A merge of other events (another writer's, written elsewhere), not committed: put in the
     * window under a -merged name, with its writer's index. Were it read, a query would show it.
     */
    private StoreLayout.BucketName placeForeignMerge() throws IOException {
        try (Store other = Store.open(scratch)) {
            other.createStream("s", config);
            write(other);
        }
        Path windowDir = dir.resolve(StoreLayout.windowPrefix("s", window));
        Path made = files(scratch, ".bkt").get(0);
        StoreLayout.BucketName name = StoreLayout.parseBucketName(made.getFileName().toString());
        Files.copy(made, windowDir.resolve(StoreLayout.bucketFileName(new StoreLayout.BucketName(
                name.windowStart(), name.writerId(), name.sequence(), false, true))));
        Path index = files(scratch, ".idx").get(0);
        Files.copy(index, windowDir.resolve(index.getFileName()));
        return name;
    }

    /** The compactor's commit: a standalone object holding a header and one superseded entry. */
    private void commit(Store store, IndexEntry.BucketRef replaced, IndexEntry.BucketRef replacement)
            throws IOException {
        ByteSink out = new ByteSink(256);
        new IndexHeader(window, config.indexWindowNanos(), "brigade0", "s").writeTo(out);
        int at = Frame.open(out);
        new IndexEntry.Superseded(List.of(replaced), replacement).writeTo(out);
        Frame.close(out, at, Frame.ENTRY_MAGIC);
        assertThat(store.layout().volume(0).putIfAbsent(
                StoreLayout.windowPrefix("s", window) + "commit-00c0ffee.idx", out.toByteArray())).isTrue();
    }
}

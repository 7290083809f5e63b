package io.bucketlog;

import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static io.bucketlog.Fixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers switch to the brigade's replacement as soon as its "superseded" entry is committed. */
class SupersededTest {
    @TempDir
    Path dir;

    private final StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20).build();
    private final long ts = nowNanos();
    private final long window = Math.floorDiv(ts, config.indexWindowNanos()) * config.indexWindowNanos();

    /** Two writers' sealed buckets, ten events each, oldest file name first. */
    private List<Path> twoBuckets(Store store) throws IOException {
        store.createStream("s", config);
        for (int writer = 0; writer < 2; writer++) {
            try (Writer w = store.writer(options().build())) {
                for (int i = 0; i < 10; i++) {
                    w.append("s", "k", ts + writer * 100 + i, Map.of(), body(writer * 100 + i, 30));
                }
                flush(w);
            }
        }
        assertThat(readAll(store, ScanRequest.all("s"))).hasSize(20);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".bkt")).sorted().toList();
        }
    }

    private static IndexEntry.BucketRef ref(StoreLayout.BucketName n) {
        return new IndexEntry.BucketRef(n.writerId(), n.windowStart(), n.sequence());
    }

    private static StoreLayout.BucketName name(Path p) {
        return StoreLayout.parseBucketName(p.getFileName().toString());
    }

    /** The brigade's commit, in an index bucket of its own. */
    private Path commit(Store store, IndexEntry.BucketRef replaced, IndexEntry.BucketRef replacement)
            throws IOException {
        String brigade = "brigade000000";
        ByteSink out = new ByteSink(256);
        new IndexHeader(window, config.indexWindowNanos(), brigade, "s").writeTo(out);
        int at = Frame.open(out);
        new IndexEntry.Superseded(List.of(replaced), replacement).writeTo(out);
        Frame.close(out, at, Frame.ENTRY_MAGIC);
        Path idx = dir.resolve(StoreLayout.indexFile("s", window, brigade));
        Files.write(idx, out.toByteArray());
        return idx;
    }

    @Test
    void aSupersededEntryWhoseReplacementChecksOutHidesTheBucketsItReplaces() throws IOException {
        try (Store store = Store.open(dir)) {
            List<Path> buckets = twoBuckets(store);
            StoreLayout.BucketName replaced = name(buckets.get(0));
            // The other writer's sealed bucket stands in for the brigade's merged replacement.
            commit(store, ref(replaced), ref(name(buckets.get(1))));
            List<Event> after = readAll(store, ScanRequest.all("s"));
            assertThat(after).hasSize(10).allMatch(e -> !e.id().writerId().equals(replaced.writerId()));
        }
    }

    @Test
    void aSupersededEntryWhoseReplacementIsMissingIsReportedAndHidesNothing() throws IOException {
        try (Store store = Store.open(dir)) {
            List<Path> buckets = twoBuckets(store);
            StoreLayout.BucketName replaced = name(buckets.get(0));
            Path idx = commit(store, ref(replaced), new IndexEntry.BucketRef("brigade000000",
                    replaced.windowStart(), 0));
            try (EventScan scan = store.scan(ScanRequest.all("s"))) {
                List<Event> all = new java.util.ArrayList<>();
                scan.forEachRemaining(all::add);
                assertThat(all).hasSize(20);
                assertThat(scan.corruptions()).singleElement().satisfies(c -> {
                    assertThat(c.location()).isEqualTo(idx.toString());
                    assertThat(c.problem()).contains("does not exist")
                            .contains(buckets.get(0).getFileName().toString());
                });
            }
        }
    }

    @Test
    void aCommitObjectCountsLikeAnIndexBucketAndClaimsAreIgnored() throws IOException {
        try (Store store = Store.open(dir)) {
            List<Path> buckets = twoBuckets(store);
            StoreLayout.BucketName replaced = name(buckets.get(0));
            Path idx = commit(store, ref(replaced), ref(name(buckets.get(1))));
            Path commit = idx.resolveSibling("commit-1a2b3c.idx");
            Files.move(idx, commit); // the compactor's standalone commit object
            Files.write(commit.resolveSibling("claim-1a2b3c"), new byte[] {9, 9, 9});
            try (EventScan scan = store.scan(ScanRequest.all("s"))) {
                List<Event> all = new java.util.ArrayList<>();
                scan.forEachRemaining(all::add);
                assertThat(all).hasSize(10).allMatch(e -> !e.id().writerId().equals(replaced.writerId()));
                assertThat(scan.corruptions()).isEmpty();
            }
        }
    }
}

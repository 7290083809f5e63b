package io.bucketlog;

import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static io.bucketlog.Fixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.backend.FileLayout;
import io.bucketlog.format.ByteSink;
import io.bucketlog.format.Frame;
import io.bucketlog.format.IndexEntry;
import io.bucketlog.format.IndexHeader;
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

    @Test
    void aCommittedSupersededEntryHidesTheBucketsItReplaces() throws IOException {
        StreamConfig config = StreamConfig.builder().bucketBytes(1 << 20).build();
        long ts = nowNanos();
        try (Store store = Store.open(dir)) {
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

            Path replaced;
            try (Stream<Path> files = Files.walk(dir)) {
                replaced = files.filter(p -> p.toString().endsWith(".bkt")).sorted().findFirst().orElseThrow();
            }
            FileLayout.BucketName name = FileLayout.parseBucketName(replaced.getFileName().toString());
            // The brigade's commit, in an index bucket of its own: the replacement (not written
            // here) would hold copies of the replaced events.
            long window = Math.floorDiv(ts, config.indexWindowNanos()) * config.indexWindowNanos();
            String brigade = "brigade000000";
            ByteSink out = new ByteSink(256);
            new IndexHeader(window, config.indexWindowNanos(), brigade, "s").writeTo(out);
            int at = Frame.open(out);
            new IndexEntry.Superseded(List.of(new IndexEntry.BucketRef(name.writerId(),
                    name.windowStart(), name.sequence())),
                    new IndexEntry.BucketRef(brigade, name.windowStart(), 0)).writeTo(out);
            Frame.close(out, at, Frame.ENTRY_MAGIC);
            Files.write(store.layout().indexFile("s", window, brigade), out.toByteArray());

            List<Event> after = readAll(store, ScanRequest.all("s"));
            assertThat(after).hasSize(10).allMatch(e -> !e.id().writerId().equals(name.writerId()));
        }
    }
}

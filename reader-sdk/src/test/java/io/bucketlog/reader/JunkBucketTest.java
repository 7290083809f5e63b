package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.internal.store.StoreLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A junk file named like a bucket is read once by a reader, then skipped until it changes. */
class JunkBucketTest {
    private static final int JUNK = 4 << 20;

    @TempDir
    Path dir;

    private record Result(List<Event> events, QueryStats stats, List<String> damage) {
    }

    private static Result query(BucketlogReader reader) {
        List<Event> events = new ArrayList<>();
        try (QueryResult r = reader.query("s").iterator()) {
            r.forEachRemaining(events::add);
            return new Result(events, r.stats(), r.corruptions().stream().map(Object::toString).toList());
        }
    }

    @Test
    void aJunkFileNamedLikeABucketIsReportedEveryTimeButReadOnlyUntilItChanges() throws IOException {
        try (Store store = Store.open(dir); Writer w = store.writer(TestStore.writerOptions(8))) {
            store.createStream("s", StreamConfig.builder().bucketBytes(1 << 20).build());
            for (int i = 0; i < 50; i++) {
                w.append("s", "k", TestStore.nowNanos(), Map.of(), new byte[10]);
            }
            TestStore.flush(w);
        }
        Path real;
        try (Stream<Path> s = Files.walk(dir.resolve("s"))) {
            real = s.filter(p -> p.toString().endsWith(".bkt")).findFirst().orElseThrow();
        }
        StoreLayout.BucketName name = StoreLayout.parseBucketName(real.getFileName().toString());
        Path junk = real.resolveSibling(StoreLayout.bucketFileName(name.windowStart(), "junk", 0));
        byte[] noise = new byte[JUNK];
        new Random(1).nextBytes(noise);
        Files.write(junk, noise);

        List<CorruptionReport> told = new CopyOnWriteArrayList<>();
        try (BucketlogReader reader = BucketlogReader.builder().directories(dir)
                .onCorruption(told::add).build()) {
            Result first = query(reader);
            Result second = query(reader);
            assertThat(first.events()).hasSize(50);
            assertThat(second.events()).hasSize(50);
            assertThat(first.stats().bytesRead()).isGreaterThan(JUNK);
            assertThat(second.stats().bytesRead()).isLessThan(JUNK / 4);
            assertThat(first.damage()).anySatisfy(d -> assertThat(d).contains(junk.toString()));
            assertThat(second.damage()).anySatisfy(d -> assertThat(d).contains(junk.toString())
                    .contains("not read again until it changes"));

            // The reader's listener hears of the place once, not once per query.
            assertThat(told).filteredOn(r -> r.location().equals(junk.toString())).hasSize(1);

            Files.write(junk, new byte[] {1}, StandardOpenOption.APPEND);
            Files.setLastModifiedTime(junk, FileTime.fromMillis(System.currentTimeMillis() + 5000));
            Result changed = query(reader);
            assertThat(changed.stats().bytesRead()).isGreaterThan(JUNK);
            assertThat(changed.events()).hasSize(50);
        }
    }
}

package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.read.BucketFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket the index recorded as sealed but whose footer and trailer were cut off reads as open:
 * the reader still returns its events and reports the damage, as storage-core's scan does.
 */
class SealedBucketDamageTest {
    static final long S = TestStore.SECOND;
    static final int EVENTS = 300;

    @TempDir
    Path dir;

    @Test
    void aSealedBucketCutAtItsFooterIsReportedAndStillFullyRead() throws IOException {
        long base = (TestStore.nowNanos() / S - 300) / 4 * 4 * S;
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
            try (Writer w = store.writer(TestStore.writerOptions(4))) {
                for (int i = 0; i < EVENTS; i++) {
                    w.append("s", "user" + (i % 5), base + i * (S / 100), Map.of(),
                            ("event " + i).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        List<Path> buckets;
        try (Stream<Path> s = Files.walk(dir)) {
            buckets = s.filter(p -> p.toString().endsWith(".bkt")).sorted().collect(Collectors.toList());
        }
        Path victim = buckets.get(buckets.size() / 2);
        long blocksEnd;
        try (BucketFile f = BucketFile.open(TestObjects.object(victim),
                StoreLayout.parseBucketName(victim.getFileName().toString()), r -> { })) {
            assertThat(f.sealed()).isTrue();
            var last = f.blocks().get(f.blocks().size() - 1);
            blocksEnd = last.offset() + last.length();
        }
        try (FileChannel ch = FileChannel.open(victim, StandardOpenOption.WRITE)) {
            ch.truncate(blocksEnd); // every block intact, footer and trailer gone
        }

        List<CorruptionReport> seen = new CopyOnWriteArrayList<>();
        try (BucketlogReader reader = BucketlogReader.builder().directories(dir)
                .onCorruption(seen::add).build();
             QueryResult r = reader.query("s").iterator()) {
            List<Event> events = new ArrayList<>();
            r.forEachRemaining(events::add);
            assertThat(events).hasSize(EVENTS);
            assertThat(r.corruptions()).singleElement().satisfies(c -> {
                assertThat(c.location()).isEqualTo(victim.toString());
                assertThat(c.problem()).contains("sealed").contains("no valid trailer");
            });
            assertThat(seen).containsExactlyElementsOf(r.corruptions());
        }
    }
}

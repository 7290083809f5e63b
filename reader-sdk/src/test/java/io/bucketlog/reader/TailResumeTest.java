package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import io.bucketlog.internal.store.StoreLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tails resumed from valid cursors, cut inside blocks and at their ends, report no damage. */
class TailResumeTest {
    @TempDir
    Path dir;

    @Test
    void aTailResumedFromACursorInsideABlockReportsNothing() {
        Random random = new Random(3);
        Set<String> written = new HashSet<>();
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
            try (Writer w = store.writer(TestStore.writerOptions(2));
                 BucketlogReader reader = BucketlogReader.open(dir)) {
                String cursor;
                List<Event> got = new ArrayList<>();
                try (TailIterator tail = reader.tail("s").iterator()) {
                    long now = TestStore.nowNanos();
                    for (int i = 0; i < 600; i++) {
                        String body = "ev" + i;
                        w.append("s", "k" + i % 3, now - random.nextInt(5_000) * 1_000_000L, Map.of(),
                                body.getBytes(StandardCharsets.UTF_8));
                        written.add(body);
                    }
                    TestStore.flush(w);
                    got.add(tail.poll(Duration.ofSeconds(30)));
                    cursor = tail.cursor().toString();
                    assertThat(tail.corruptions()).isEmpty();
                }
                while (got.size() < written.size()) {
                    try (TailIterator tail = reader.tail("s").from(cursor).iterator()) {
                        for (int n = 1 + random.nextInt(30); n > 0 && got.size() < written.size(); n--) {
                            Event e = tail.poll(Duration.ofSeconds(30));
                            assertThat(e).isNotNull();
                            got.add(e);
                        }
                        cursor = tail.cursor().toString();
                        assertThat(tail.corruptions()).as("after %d events", got.size()).isEmpty();
                    }
                }
                assertThat(got.stream().map(Event::bodyText).toList()).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(written);
            }
        }
    }

    @Test
    void aCursorOffsetInsideABlockIsReportedAsTheCursorsProblemNotAsDamage() throws IOException {
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
            StoreLayout.BucketName name;
            try (Writer w = store.writer(TestStore.writerOptions(2))) {
                long now = TestStore.nowNanos();
                for (int i = 0; i < 100; i++) {
                    w.append("s", "k", now - 500_000_000L + i, Map.of(), ("ev" + i).getBytes(StandardCharsets.UTF_8));
                }
                TestStore.flush(w);
                try (Stream<Path> files = Files.walk(dir.resolve("s"))) {
                    Path bucket = files.filter(p -> p.toString().endsWith(".bkt")).sorted().findFirst()
                            .orElseThrow();
                    name = StoreLayout.parseBucketName(bucket.getFileName().toString());
                }
            }
            long inside = TailPosition.firstBlockOffset(name.writerId(), "s") + 5;
            String forged = Cursor.ofTail(new TailPosition(0, null, List.of(new TailPosition.Bucket(
                    name.writerId(), name.windowStart(), name.sequence(), inside, 0)))).toString();
            try (BucketlogReader reader = BucketlogReader.open(dir);
                 TailIterator tail = reader.tail("s").from(forged).iterator()) {
                Event e = tail.poll(Duration.ofSeconds(30));
                assertThat(e).as("resumed at a later block").isNotNull();
                assertThat(tail.corruptions()).singleElement().satisfies(c -> {
                    assertThat(c.offset()).isEqualTo(inside);
                    assertThat(c.problem()).contains("no block starts at offset " + inside)
                            .contains("cursor");
                });
            }
        }
    }
}

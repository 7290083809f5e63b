package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.read.BucketFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket that never seals (its writer crashed) is forgotten once its window is below the floor
 * and it has not grown for the idle grace, so a long-lived tail and its cursor stay bounded. The
 * tail runs on a clock the test moves.
 */
class TailForgetsIdleBucketsTest {
    static final long S = TestStore.SECOND;
    static final int EVENTS = 20;

    @TempDir
    Path dir;

    @Test
    void anUnsealedBucketBelowTheFloorIsForgottenAfterTheIdleGrace() throws IOException {
        long now = TestStore.nowNanos();
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
            try (Writer w = store.writer(TestStore.writerOptions(2))) {
                for (int i = 0; i < EVENTS; i++) {
                    w.append("s", "k", now - 100 * S, Map.of(),
                            ("event " + i).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        Path bucket;
        try (Stream<Path> s = Files.walk(dir)) {
            bucket = s.filter(p -> p.toString().endsWith(".bkt")).findFirst().orElseThrow();
        }
        long blocksEnd;
        try (BucketFile f = BucketFile.open(TestObjects.object(bucket),
                StoreLayout.parseBucketName(bucket.getFileName().toString()), r -> { })) {
            BlockEntry last = f.blocks().get(f.blocks().size() - 1);
            blocksEnd = last.offset() + last.length();
        }
        try (FileChannel ch = FileChannel.open(bucket, StandardOpenOption.WRITE)) {
            ch.truncate(blocksEnd); // what a writer killed before sealing leaves
        }

        AtomicLong clock = new AtomicLong(now);
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            TailFollower tail = new TailFollower(reader, "s", null, Cursor.parse("p0.a.0"),
                    10 * S, 60 * S, clock::get);
            int got = 0;
            for (Event e = tail.peek(); e != null; e = tail.peek()) {
                tail.take();
                got++;
            }
            assertThat(got).isEqualTo(EVENTS);
            assertThat(tail.position().buckets()).as("followed while it may still grow")
                    .extracting(TailPosition.Bucket::sequence).hasSize(1);

            clock.addAndGet(30 * S); // below the floor, idle for less than the grace
            tail.poll();
            assertThat(tail.position().buckets()).hasSize(1);

            clock.addAndGet(31 * S); // idle for longer than the grace
            tail.poll();
            assertThat(tail.position().buckets()).isEmpty();
            assertThat(tail.corruptions()).isEmpty();
        }
    }

    @Test
    void aBucketThatGrowsIsNotForgotten() throws IOException {
        long now = TestStore.nowNanos();
        AtomicLong clock = new AtomicLong(now);
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
            try (Writer w = store.writer(TestStore.writerOptions(2));
                 BucketlogReader reader = BucketlogReader.open(dir)) {
                TailFollower tail = new TailFollower(reader, "s", null, Cursor.parse("p0.a.0"),
                        10 * S, 60 * S, clock::get);
                int got = 0;
                for (int round = 0; round < 5; round++) {
                    w.append("s", "k", now - 100 * S, Map.of(),
                            ("event " + round).getBytes(StandardCharsets.UTF_8));
                    TestStore.flush(w);
                    for (Event e = tail.peek(); e != null; e = tail.peek()) {
                        tail.take();
                        got++;
                    }
                    clock.addAndGet(40 * S); // more than the grace in all, less between writes
                }
                assertThat(got).isEqualTo(5);
                assertThat(tail.position().buckets()).hasSize(1);
            }
        }
    }
}

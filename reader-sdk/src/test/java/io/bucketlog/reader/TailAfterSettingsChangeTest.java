package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tail that is running while a redeploy widens the stream's buckets still finds the new ones. */
class TailAfterSettingsChangeTest {
    static final long S = TestStore.SECOND;

    @TempDir
    Path dir;

    private static StreamConfig width(long seconds) {
        return StreamConfig.builder().bucketBytes(1 << 20).bucketWidth(Duration.ofSeconds(seconds))
                .indexWindow(Duration.ofSeconds(60)).build();
    }

    @Test
    void aBucketWiderThanTheWidthTheTailStartedWithIsFollowed() {
        long minute = Math.floorDiv(TestStore.nowNanos(), 60 * S) * 60 * S - 120 * S;
        // The tail's clock is 40 s into that minute; with 5 s of lateness its floor is at 35 s.
        AtomicLong clock = new AtomicLong(minute + 40 * S);
        try (Store store = Store.open(dir)) {
            store.createStream("s", width(10));
            try (BucketlogReader reader = BucketlogReader.open(dir)) {
                TailFollower tail = new TailFollower(reader, "s", null, null, 5 * S, 60 * S, clock::get);
                assertThat(tail.peek()).isNull();
                store.updateStream("s", width(60));
                try (Writer w = store.writer(TestStore.writerOptions(2))) {
                    // Its bucket starts at the minute: with the old 10 s width in mind, the tail
                    // would think it ended at 10 s, below the floor, and never look at it.
                    w.append("s", "k", minute + 45 * S, Map.of(), "after the redeploy".getBytes(StandardCharsets.UTF_8));
                    TestStore.flush(w);
                }
                assertThat(delivered(tail)).containsExactly("after the redeploy");
                assertThat(tail.corruptions()).isEmpty();
            }
        }
    }

    @Test
    void aTailStartedAfterAHandEditToNarrowerWidthsFollowsTheWiderBucketByItsHeader() throws Exception {
        long minute = Math.floorDiv(TestStore.nowNanos(), 60 * S) * 60 * S - 120 * S;
        AtomicLong clock = new AtomicLong(minute + 40 * S);
        try (Store store = Store.open(dir)) {
            store.createStream("s", width(60));
            try (Writer w = store.writer(TestStore.writerOptions(2))) {
                w.append("s", "k", minute + 1 * S, Map.of(), "before".getBytes(StandardCharsets.UTF_8));
                TestStore.flush(w);
                // Someone edits stream.conf by hand to 10 s buckets; the writer goes on with its
                // 60 s bucket, which by the file name and the new width ended at 10 s.
                Path conf = dir.resolve("s").resolve("stream.conf");
                Files.writeString(conf, Files.readString(conf)
                        .replace("bucket.width.seconds=60", "bucket.width.seconds=10"));
                try (BucketlogReader reader = BucketlogReader.open(dir)) {
                    TailFollower tail = new TailFollower(reader, "s", null, null, 5 * S, 60 * S, clock::get);
                    assertThat(tail.peek()).isNull();
                    w.append("s", "k", minute + 45 * S, Map.of(), "after the edit".getBytes(StandardCharsets.UTF_8));
                    TestStore.flush(w);
                    assertThat(delivered(tail)).containsExactly("after the edit");
                    assertThat(tail.corruptions()).as("the disagreement is told")
                            .anySatisfy(r -> assertThat(r.location()).endsWith("stream.conf"));
                }
            }
        }
    }

    /** The bodies of what the tail delivers in up to three polls, stopping at the first that finds some. */
    private static List<String> delivered(TailFollower tail) {
        List<String> got = new ArrayList<>();
        for (int round = 0; round < 3 && got.isEmpty(); round++) {
            tail.poll();
            for (Event e = tail.peek(); e != null; e = tail.peek()) {
                got.add(tail.take().bodyText());
            }
        }
        return got;
    }
}

package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailTest {
    static final long S = TestStore.SECOND;
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final Random random = new Random(42);
    private final Set<String> written = new HashSet<>();
    private int counter;

    /** Appends {@code n} events stamped up to 10 s in the past, in random order, random keys. */
    private void write(Writer w, int n) {
        long now = TestStore.nowNanos();
        for (int i = 0; i < n; i++) {
            String body = "ev" + (counter++);
            long ts = now - (long) (random.nextDouble() * 10 * S);
            String key = "k" + random.nextInt(4);
            assertThat(w.append("s", key, ts, Map.of(), body.getBytes(StandardCharsets.UTF_8))).isTrue();
            written.add(key + "/" + body);
            if (random.nextInt(50) == 0) {
                TestStore.flush(w);
            }
        }
        TestStore.flush(w);
    }

    /** Takes events until {@code n} arrived (or the wait ran out), then checks nothing else comes. */
    private static List<Event> take(TailIterator tail, int n) {
        List<Event> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < n && System.nanoTime() < deadline) {
            Event e = tail.poll(Duration.ofMillis(100));
            if (e != null) {
                got.add(e);
            }
        }
        return got;
    }

    private static List<String> keysAndBodies(List<Event> events) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            out.add(e.key() + "/" + e.bodyText());
        }
        return out;
    }

    /** Events of one writer in one bucket window (across rotations) arrive in sequence order. */
    private static void assertWriterOrder(List<Event> events) {
        Map<String, Long> last = new HashMap<>();
        for (Event e : events) {
            String bucketWindow = e.id().writerId() + "@" + e.timestampNanos() / S;
            Long prev = last.put(bucketWindow, e.id().sequence());
            if (prev != null) {
                assertThat(e.id().sequence()).as("order in %s", bucketWindow).isGreaterThan(prev);
            }
        }
    }

    @Test
    void deliversEveryNewEventOnceFromEveryWriterAndNewBucket() {
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
            Writer a = store.writer(TestStore.writerOptions(2));
            write(a, 300); // before the tail: not delivered
            written.clear();
            try (BucketlogReader reader = BucketlogReader.open(dir);
                 TailIterator tail = reader.tail("s").iterator()) {
                Writer b = store.writer(TestStore.writerOptions(2));
                write(a, 400);
                write(b, 400);
                a.close(); // seals its buckets
                Writer c = store.writer(TestStore.writerOptions(3)); // a restart: new buckets
                write(c, 400);
                write(b, 100);
                List<Event> got = take(tail, written.size());
                assertThat(tail.poll(Duration.ofMillis(300))).as("no extra event").isNull();
                assertThat(keysAndBodies(got)).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(written);
                assertWriterOrder(got);
                assertThat(tail.corruptions()).isEmpty();
            }
        }
    }

    @Test
    void resumesFromItsCursorExactly() {
        try (Store store = Store.open(dir);
             Writer w = store.writer(TestStore.writerOptions(2));
             BucketlogReader reader = reopen(store)) {
            List<Event> got = new ArrayList<>();
            String cursor;
            try (TailIterator tail = reader.tail("s").iterator()) {
                write(w, 500);
                got.addAll(take(tail, 177));
                cursor = tail.cursor().toString();
            }
            assertThat(Cursor.parse(cursor).isEventPosition()).isFalse();
            write(w, 300); // while no tail runs
            // Resume many times, stopping after 1..40 events: cuts fall inside and at the end of
            // blocks and buckets.
            while (got.size() < written.size()) {
                try (TailIterator tail = reader.tail("s").from(cursor).iterator()) {
                    int n = 1 + random.nextInt(40);
                    List<Event> chunk = take(tail, Math.min(n, written.size() - got.size()));
                    assertThat(chunk).isNotEmpty();
                    got.addAll(chunk);
                    cursor = tail.cursor().toString();
                }
            }
            try (TailIterator tail = reader.tail("s").from(cursor).iterator()) {
                assertThat(tail.poll(Duration.ofMillis(300))).isNull();
            }
            assertThat(keysAndBodies(got)).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(written);
        }
    }

    @Test
    void listenerStyleAndKeyFilter() throws InterruptedException {
        try (Store store = Store.open(dir);
             Writer w = store.writer(TestStore.writerOptions(2));
             BucketlogReader reader = reopen(store)) {
            List<Event> got = new CopyOnWriteArrayList<>();
            TailSubscription sub = reader.tail("s").key("k2").listen(got::add);
            write(w, 400);
            long want = written.stream().filter(s -> s.startsWith("k2/")).count();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (got.size() < want && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
            sub.close();
            assertThat(sub.isRunning()).isFalse();
            assertThat(sub.failure()).isNull();
            assertThat(keysAndBodies(got)).doesNotHaveDuplicates().hasSize((int) want)
                    .allMatch(s -> s.startsWith("k2/"));
            assertThat(sub.cursor().isEventPosition()).isFalse();
        }
    }

    @Test
    void fromAnEventPositionDeliversEverythingAfterIt() {
        try (Store store = Store.open(dir);
             Writer w = store.writer(TestStore.writerOptions(2));
             BucketlogReader reader = reopen(store)) {
            write(w, 200);
            List<Event> stored = reader.query("s").list();
            Event pivot = stored.get(120);
            List<String> expected = new ArrayList<>(keysAndBodies(stored.subList(121, stored.size())));
            written.clear();
            try (TailIterator tail = reader.tail("s").from(Cursor.of(pivot)).iterator()) {
                List<Event> got = new ArrayList<>(take(tail, expected.size()));
                // New events ordering after the pivot arrive too; those before it do not.
                long now = TestStore.nowNanos();
                w.append("s", "late", pivot.timestampNanos() - 1, Map.of(), "before".getBytes(StandardCharsets.UTF_8));
                w.append("s", "new", now, Map.of(), "after".getBytes(StandardCharsets.UTF_8));
                TestStore.flush(w);
                expected.add("new/after");
                got.addAll(take(tail, 1));
                assertThat(tail.poll(Duration.ofMillis(300))).isNull();
                assertThat(keysAndBodies(got)).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    @Test
    void reportsADamagedBlockAndKeepsFollowing() throws Exception {
        try (Store store = Store.open(dir);
             Writer w = store.writer(TestStore.writerOptions(2));
             BucketlogReader reader = reopen(store);
             TailIterator tail = reader.tail("s").iterator()) {
            long now = TestStore.nowNanos();
            for (int i = 0; i < 10; i++) {
                w.append("s", "k", now, Map.of(), ("first" + i).getBytes(StandardCharsets.UTF_8));
            }
            TestStore.flush(w); // one or more blocks
            Path bucket;
            try (var s = java.nio.file.Files.walk(dir)) {
                bucket = s.filter(p -> p.toString().endsWith(".bkt")).findFirst().orElseThrow();
            }
            QueryTest.flipByte(bucket, java.nio.file.Files.size(bucket) - 20); // the last block
            for (int i = 0; i < 10; i++) {
                w.append("s", "k", now, Map.of(), ("second" + i).getBytes(StandardCharsets.UTF_8));
            }
            TestStore.flush(w); // valid blocks after the damaged one
            List<Event> got = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (got.stream().filter(e -> e.bodyText().startsWith("second")).count() < 10
                    && System.nanoTime() < deadline) {
                Event e = tail.poll(Duration.ofMillis(100));
                if (e != null) {
                    got.add(e);
                }
            }
            assertThat(tail.poll(Duration.ofMillis(300))).isNull();
            List<String> bodies = got.stream().map(Event::bodyText).toList();
            assertThat(bodies).doesNotHaveDuplicates()
                    .contains("second0", "second9").doesNotContain("first9");
            assertThat(bodies.stream().filter(b -> b.startsWith("first")).count()).isLessThan(10);
            assertThat(tail.corruptions()).isNotEmpty()
                    .allMatch(c -> c.location().equals(bucket.toString()));
        }
    }

    @Test
    void keepsFollowingWhenABucketIsDeleted() throws Exception {
        try (Store store = Store.open(dir);
             Writer w = store.writer(TestStore.writerOptions(2));
             BucketlogReader reader = reopen(store);
             TailIterator tail = reader.tail("s").iterator()) {
            write(w, 100);
            List<Event> got = new ArrayList<>(take(tail, written.size()));
            try (var s = java.nio.file.Files.walk(dir)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".bkt")).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
            written.clear();
            write(w, 100); // into buckets the writer still has open (deleted) and new ones
            got.addAll(take(tail, 1));
            assertThat(tail.corruptions()).isEmpty();
            assertThat(keysAndBodies(got)).doesNotHaveDuplicates();
        }
    }

    private BucketlogReader reopen(Store store) {
        store.createStream("s", TestStore.smallConfig());
        return BucketlogReader.open(dir);
    }
}

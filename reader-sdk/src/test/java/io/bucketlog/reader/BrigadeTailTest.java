package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.brigade.Brigade;
import io.bucketlog.brigade.BrigadeSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live tail while one or two brigades compact the windows it follows and a writer appends late
 * events to them: the tail delivers every event exactly once, none again when its bucket is
 * merged, committed and deleted. The brigades' lateness is zero and the tail's the default hour,
 * so every window the writer writes to (2 to 7 minutes ago) is merged while the tail follows it.
 *
 * <p>Why it failed when the tail decided per bucket (follow a merge only if it followed none of
 * the merge's inputs) rather than per event:
 * <ul>
 *   <li>A batch missed (one brigade): a merge took in, beside buckets the tail had followed, a
 *       batch's buckets that were written, sealed, merged and committed between two of the
 *       tail's polls. The tail never followed the new ones, skipped the merge because it had
 *       followed the others, and never saw the batch.</li>
 *   <li>Events twice (two brigades; also a merge of a merge): two brigades that listed the window
 *       at different moments commit merges of overlapping inputs ({a, b} and {a, b, c}: different
 *       input sets, so both commits win their put-if-absent). The catalog maps each hidden input
 *       to one replacement (the last commit read), so the other merge replaced nothing in the
 *       tail's eyes and was followed from its start: a and b's events again. A merge of an
 *       earlier merge (which the tail had not followed, having followed its inputs) and a bucket
 *       it never saw was followed for the same reason.</li>
 * </ul>
 * The tail now checks each event against the ids it delivered (see {@code TailFollower}).
 *
 * <p>Each run lasts {@code -Dbucketlog.brigadeTail.seconds} (default 2) of writing and merging.
 */
class BrigadeTailTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final long RUN_NANOS =
            Long.getLong("bucketlog.brigadeTail.seconds", 2) * 1_000_000_000L;
    /** Small buckets and blocks of one minute, so that a few events make many of each. */
    private static final StreamConfig SMALL = StreamConfig.builder().bucketBytes(4096).blockBytes(512)
            .bucketWidth(Duration.ofMinutes(1)).indexWindow(Duration.ofHours(1)).build();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} brigade(s)")
    @ValueSource(ints = {1, 2})
    void aTailDeliversEveryEventOnceWhileBrigadesMergeAndDeleteTheBucketsItFollows(int brigades)
            throws Exception {
        long seed = System.nanoTime();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Set<String> ackedOfKey = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<BrigadeSummary> summaries = new CopyOnWriteArrayList<>();
        try (Store store = Store.open(dir)) {
            store.createStream("s", SMALL);
            try (BucketlogReader reader = BucketlogReader.open(dir);
                 TailIterator tail = reader.tail("s").iterator();
                 TailIterator ofKey = reader.tail("s").key("k1").iterator()) {
                assertThat(tail.poll(Duration.ofMillis(50))).isNull();
                assertThat(ofKey.poll(Duration.ofMillis(50))).isNull();
                List<Thread> threads = new ArrayList<>();
                threads.add(new Thread(() -> {
                    Random r = new Random(seed);
                    long now = System.currentTimeMillis() * 1_000_000L;
                    for (int batch = 0; !stop.get(); batch++) {
                        List<String> bodies = new ArrayList<>();
                        List<String> bodiesOfKey = new ArrayList<>();
                        try (Writer w = store.writer(WriterOptions.builder().closeOnJvmShutdown(false)
                                .ringFullPolicy(RingFullPolicy.BLOCK).build())) {
                            for (int i = 0; i < 30; i++) {
                                long minute = Math.floorDiv(now - (2 + r.nextInt(6)) * MINUTE, MINUTE) * MINUTE;
                                String body = "b" + batch + "-" + i;
                                String key = "k" + r.nextInt(5);
                                w.append("s", key, minute + (long) (r.nextDouble() * MINUTE),
                                        Map.of(), body.getBytes(StandardCharsets.UTF_8));
                                bodies.add(body);
                                if (key.equals("k1")) {
                                    bodiesOfKey.add(body);
                                }
                            }
                            assertThat(w.flush(Duration.ofSeconds(20))).isTrue();
                        }
                        acked.addAll(bodies);
                        ackedOfKey.addAll(bodiesOfKey);
                    }
                }, "writer"));
                for (int b = 0; b < brigades; b++) {
                    threads.add(new Thread(() -> {
                        try (Brigade brigade = eagerBrigade(store, Duration.ofMillis(500))) {
                            while (!stop.get()) {
                                summaries.add(brigade.runOnce());
                            }
                        } catch (java.io.IOException e) {
                            throw new AssertionError(e);
                        }
                    }, "brigade-" + b));
                }
                for (Thread t : threads) {
                    t.setUncaughtExceptionHandler((th, e) -> failures.add(e));
                    t.start();
                }
                Map<String, Integer> delivered = new HashMap<>();
                Map<String, Integer> deliveredOfKey = new HashMap<>();
                long until = System.nanoTime() + RUN_NANOS;
                while (System.nanoTime() < until) {
                    Event e = tail.poll(Duration.ofMillis(20));
                    if (e != null) {
                        delivered.merge(e.bodyText(), 1, Integer::sum);
                    }
                    for (Event k; (k = ofKey.poll(Duration.ZERO)) != null; ) {
                        deliveredOfKey.merge(k.bodyText(), 1, Integer::sum);
                    }
                }
                stop.set(true);
                for (Thread t : threads) {
                    t.join(60_000);
                }
                assertThat(failures).as("seed " + seed).isEmpty();
                // Drain: everything written reaches the tail, then nothing more comes.
                for (Event e; (e = tail.poll(Duration.ofSeconds(2))) != null; ) {
                    delivered.merge(e.bodyText(), 1, Integer::sum);
                }
                for (Event e; (e = ofKey.poll(Duration.ofSeconds(1))) != null; ) {
                    deliveredOfKey.merge(e.bodyText(), 1, Integer::sum);
                }
                List<String> queried = new ArrayList<>();
                try (java.util.stream.Stream<Event> all = reader.query("s").stream()) {
                    all.forEach(e -> queried.add(e.bodyText()));
                }
                assertThat(queried).as("seed " + seed + ": a query sees every event once")
                        .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(acked);
                assertThat(summaries.stream().mapToInt(BrigadeSummary::merges).sum()).isPositive();
                assertThat(summaries.stream().mapToInt(BrigadeSummary::inputsDeleted).sum())
                        .as("inputs were deleted while the tail followed them").isPositive();
                delivered.forEach((body, n) -> assertThat(n).as("seed " + seed + ": deliveries of " + body)
                        .isEqualTo(1));
                assertThat(delivered.keySet()).as("seed " + seed).containsExactlyInAnyOrderElementsOf(acked);
                deliveredOfKey.forEach((body, n) -> assertThat(n)
                        .as("seed " + seed + ": deliveries of " + body + " to the tail of k1").isEqualTo(1));
                assertThat(deliveredOfKey.keySet()).as("seed " + seed + ": the tail of k1")
                        .containsExactlyInAnyOrderElementsOf(ackedOfKey);
                assertThat(tail.corruptions()).isEmpty();
            }
        }
    }

    /**
     * A brigade that merges every window as soon as it ended (no lateness, shorter than the tail's
     * default hour) and deletes what it merged once {@code grace} has passed.
     */
    private static Brigade eagerBrigade(Store store, Duration grace) {
        return Brigade.builder(store).clock(Clock.systemUTC()).lateness(Duration.ZERO).rollUpAfter(null)
                .grace(grace).claimTtl(Duration.ZERO).build();
    }

    private static List<String> write(Store store, long minute, String prefix, int n) {
        return TestStore.writeSealed(store, minute, prefix, n);
    }

    private static long minutesAgo(int minutes) {
        return TestStore.minutesAgo(minutes);
    }

    /** What the tail delivers until it has been quiet for {@code quiet}. */
    private static List<String> drain(TailIterator tail, Duration quiet) {
        List<String> got = new ArrayList<>();
        for (Event e; (e = tail.poll(quiet)) != null; ) {
            got.add(e.bodyText());
        }
        return got;
    }

    /** Merges, then deletes what was merged; returns the buckets deleted. */
    private static int mergeAndDelete(Brigade brigade) throws java.io.IOException {
        BrigadeSummary merged = brigade.runOnce();
        assertThat(merged.merges()).isPositive();
        return brigade.runOnce().inputsDeleted();
    }

    private List<String> bucketFiles() throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bkt")).toList();
        }
    }

    @Test
    void aCursorTakenBeforeAMergeResumesExactlyOnceAfterItsBucketsWereMergedAndDeleted() throws Exception {
        try (Store store = Store.open(dir); Brigade brigade = eagerBrigade(store, Duration.ZERO)) {
            store.createStream("s", SMALL);
            try (BucketlogReader reader = BucketlogReader.open(dir)) {
                List<String> written = new ArrayList<>();
                List<String> first = new ArrayList<>();
                Cursor cursor;
                try (TailIterator tail = reader.tail("s").iterator()) {
                    assertThat(tail.poll(Duration.ofMillis(50))).isNull();
                    long minute = minutesAgo(3);
                    written.addAll(write(store, minute, "a", 20));
                    written.addAll(write(store, minute, "b", 20));
                    while (first.size() < 25) {
                        Event e = tail.poll(Duration.ofSeconds(20));
                        assertThat(e).as("event %d", first.size()).isNotNull();
                        first.add(e.bodyText());
                    }
                    cursor = tail.cursor();
                }
                assertThat(mergeAndDelete(brigade)).as("the buckets the cursor names, deleted").isEqualTo(2);
                assertThat(bucketFiles()).allMatch(n -> n.endsWith("-merged.bkt"));

                try (TailIterator resumed = reader.tail("s").from(cursor.toString()).iterator()) {
                    List<String> rest = drain(resumed, Duration.ofSeconds(1));
                    assertThat(rest).as("the 15 not delivered before, from the merge").hasSize(15)
                            .doesNotContainAnyElementsOf(first);
                    List<String> all = new ArrayList<>(first);
                    all.addAll(rest);
                    assertThat(all).containsExactlyInAnyOrderElementsOf(written);
                    assertThat(resumed.corruptions()).isEmpty();
                }
            }
        }
    }

    @Test
    void aTailStartedNowDeliversNoneOfWhatWasStoredBeforeWhenItsWindowIsMergedAndMergedAgain()
            throws Exception {
        try (Store store = Store.open(dir); Brigade brigade = eagerBrigade(store, Duration.ZERO)) {
            store.createStream("s", SMALL);
            long minute = minutesAgo(3);
            List<String> before = write(store, minute, "old", 20);
            try (BucketlogReader reader = BucketlogReader.open(dir);
                 TailIterator tail = reader.tail("s").iterator()) {
                assertThat(tail.poll(Duration.ofMillis(100))).as("stored before the start").isNull();
                List<String> after = write(store, minute, "new", 10);
                List<String> got = new ArrayList<>(drain(tail, Duration.ofMillis(500)));
                assertThat(got).containsExactlyInAnyOrderElementsOf(after);

                // The merge replaces the bucket stored before the start and the one delivered.
                assertThat(brigade.runOnce().merges()).isPositive();
                assertThat(tail.poll(Duration.ofMillis(300))).as("nothing new in the merge").isNull();
                assertThat(brigade.runOnce().inputsDeleted()).isEqualTo(2);
                assertThat(tail.poll(Duration.ofMillis(300))).isNull();

                // A late write to the merged window, and a merge of the merge with it.
                List<String> late = write(store, minute, "late", 5);
                after.addAll(late);
                assertThat(brigade.runOnce().merges()).isPositive();
                brigade.runOnce();
                got.addAll(drain(tail, Duration.ofMillis(500)));
                assertThat(got).as("written after the start, each once").hasSize(15)
                        .containsExactlyInAnyOrderElementsOf(after);
                assertThat(tail.corruptions()).isEmpty();
                List<String> queried = new ArrayList<>();
                try (java.util.stream.Stream<Event> all = reader.query("s").stream()) {
                    all.forEach(e -> queried.add(e.bodyText()));
                }
                List<String> everything = new ArrayList<>(before);
                everything.addAll(after);
                assertThat(queried).containsExactlyInAnyOrderElementsOf(everything);
            }
        }
    }

    @Test
    void aCursorTakenInsideAMergedBucketResumesWithExactlyItsRest() throws Exception {
        try (Store store = Store.open(dir); Brigade brigade = eagerBrigade(store, Duration.ZERO)) {
            store.createStream("s", SMALL);
            long minute = minutesAgo(3);
            List<String> written = new ArrayList<>(write(store, minute, "a", 30));
            written.addAll(write(store, minute, "b", 30));
            assertThat(mergeAndDelete(brigade)).isEqualTo(2);
            try (BucketlogReader reader = BucketlogReader.open(dir)) {
                List<String> first = new ArrayList<>();
                Cursor cursor;
                // From the start of time, so the merged bucket's events are delivered (in its
                // key order, not its writers' sequence order) and the cursor falls inside it.
                try (TailIterator tail = reader.tail("s").from(Cursor.parse("p0.a.0")).iterator()) {
                    while (first.size() < 23) {
                        Event e = tail.poll(Duration.ofSeconds(20));
                        assertThat(e).as("event %d", first.size()).isNotNull();
                        first.add(e.bodyText());
                    }
                    cursor = tail.cursor();
                }
                try (TailIterator resumed = reader.tail("s").from(cursor).iterator()) {
                    List<String> rest = drain(resumed, Duration.ofSeconds(1));
                    assertThat(rest).hasSize(written.size() - first.size()).doesNotContainAnyElementsOf(first);
                    List<String> all = new ArrayList<>(first);
                    all.addAll(rest);
                    assertThat(all).containsExactlyInAnyOrderElementsOf(written);
                }
            }
        }
    }
}

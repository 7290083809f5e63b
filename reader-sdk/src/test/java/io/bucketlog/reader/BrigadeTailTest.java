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
import org.junit.jupiter.api.io.TempDir;

/**
 * A live tail while two brigades compact the windows it follows and a writer appends late events
 * to them: the tail delivers every event exactly once, none again when its bucket is merged,
 * committed and deleted.
 */
class BrigadeTailTest {
    private static final long MINUTE = 60_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void aTailDeliversEveryEventOnceWhileBrigadesMergeAndDeleteTheBucketsItFollows() throws Exception {
        long seed = System.nanoTime();
        StreamConfig config = StreamConfig.builder().bucketBytes(4096).blockBytes(512)
                .bucketWidth(Duration.ofMinutes(1)).indexWindow(Duration.ofHours(1)).build();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<BrigadeSummary> summaries = new CopyOnWriteArrayList<>();
        try (Store store = Store.open(dir)) {
            store.createStream("s", config);
            try (BucketlogReader reader = BucketlogReader.open(dir);
                 TailIterator tail = reader.tail("s").iterator()) {
                assertThat(tail.poll(Duration.ofMillis(50))).isNull();
                List<Thread> threads = new ArrayList<>();
                threads.add(new Thread(() -> {
                    Random r = new Random(seed);
                    long now = System.currentTimeMillis() * 1_000_000L;
                    for (int batch = 0; !stop.get(); batch++) {
                        List<String> bodies = new ArrayList<>();
                        try (Writer w = store.writer(WriterOptions.builder().closeOnJvmShutdown(false)
                                .ringFullPolicy(RingFullPolicy.BLOCK).build())) {
                            for (int i = 0; i < 30; i++) {
                                long minute = Math.floorDiv(now - (2 + r.nextInt(6)) * MINUTE, MINUTE) * MINUTE;
                                String body = "b" + batch + "-" + i;
                                w.append("s", "k" + r.nextInt(5), minute + (long) (r.nextDouble() * MINUTE),
                                        Map.of(), body.getBytes(StandardCharsets.UTF_8));
                                bodies.add(body);
                            }
                            assertThat(w.flush(Duration.ofSeconds(20))).isTrue();
                        }
                        acked.addAll(bodies);
                    }
                }, "writer"));
                for (int b = 0; b < Integer.getInteger("brigades", 2); b++) {
                    threads.add(new Thread(() -> {
                        try (Brigade brigade = Brigade.builder(store).clock(Clock.systemUTC())
                                .lateness(Duration.ZERO).rollUpAfter(null)
                                .grace(Duration.ofMillis(500)).claimTtl(Duration.ZERO).build()) {
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
                long until = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < until) {
                    Event e = tail.poll(Duration.ofMillis(20));
                    if (e != null) {
                        delivered.merge(e.bodyText(), 1, Integer::sum);
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
                assertThat(tail.corruptions()).isEmpty();
            }
        }
    }
}

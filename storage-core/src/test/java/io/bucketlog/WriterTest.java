package io.bucketlog;

import static io.bucketlog.Fixtures.HOUR;
import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static io.bucketlog.Fixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.read.BucketFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WriterTest {
    @TempDir
    Path dir;

    private static final StreamConfig SMALL = StreamConfig.builder().bucketBytes(4096).blockBytes(1024).build();

    /**
     * Holds the bucket-writer thread inside the error listener while the test fills the ring: the
     * listener is called on that thread when an event names the unknown stream "blocker".
     */
    static final class Stall implements WriteErrorListener {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void onError(String message, Throwable cause) {
            messages.add(message);
            if (message.contains("'blocker'")) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void stall(Writer w) throws InterruptedException {
            assertThat(w.append("blocker", "", nowNanos(), Map.of(), new byte[0])).isTrue();
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static boolean append(Writer w, int priority, long n) {
        return w.append("s", priority, EventFiller.SIMPLE,
                new EventFiller.Simple("k", nowNanos(), Map.of(), body(n, 50)));
    }

    @Test
    void dropPolicyDropsAndCountsWithoutWaitingForTheWriterThread() throws Exception {
        Stall stall = new Stall();
        try (Store store = Store.open(dir)) {
            store.createStream("s", SMALL);
            try (Writer w = store.writer(options().ringSize(4).errorListener(stall).build())) {
                stall.stall(w);
                // The writer thread is stuck in slot 0: three more slots are free, then none.
                for (int i = 0; i < 3; i++) {
                    assertThat(append(w, 0, i)).isTrue();
                }
                for (int i = 3; i < 13; i++) {
                    assertThat(append(w, Integer.MAX_VALUE, i)).isFalse();
                }
                WriterStats during = w.stats();
                assertThat(during.appended()).isEqualTo(14);
                assertThat(during.droppedRingFull()).isEqualTo(10);
                assertThat(during.droppedClosed()).isZero();
                stall.release.countDown();
                flush(w);
                WriterStats after = w.stats();
                assertThat(after.rejected()).isEqualTo(1);
                assertThat(after.written()).isEqualTo(3);
                assertThat(after.failed()).isZero();
                assertThat(after.bytesWritten()).isPositive();
                assertThat(after.bucketsOpened()).isEqualTo(1);
            }
            assertThat(readAll(store, ScanRequest.all("s"))).extracting(Fixtures::numberOf)
                    .containsExactly(0L, 1L, 2L);
        }
    }

    @Test
    void blockPolicyWaitsForAFreeSlot() throws Exception {
        Stall stall = new Stall();
        try (Store store = Store.open(dir)) {
            store.createStream("s", SMALL);
            try (Writer w = store.writer(options().ringSize(4).ringFullPolicy(RingFullPolicy.BLOCK)
                    .errorListener(stall).build())) {
                stall.stall(w);
                for (int i = 0; i < 3; i++) {
                    assertThat(append(w, 0, i)).isTrue();
                }
                CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> append(w, 0, 3));
                Thread.sleep(300);
                assertThat(blocked).as("append waits while the ring is full").isNotDone();
                stall.release.countDown();
                assertThat(blocked.get(20, TimeUnit.SECONDS)).isTrue();
                flush(w);
                assertThat(w.stats().dropped()).isZero();
                assertThat(w.stats().written()).isEqualTo(4);
            }
        }
    }

    @Test
    void dropBelowDropsLowPriorityAndWaitsForTheRest() throws Exception {
        Stall stall = new Stall();
        try (Store store = Store.open(dir)) {
            store.createStream("s", SMALL);
            try (Writer w = store.writer(options().ringSize(4).dropBelow(5).errorListener(stall).build())) {
                stall.stall(w);
                for (int i = 0; i < 3; i++) {
                    assertThat(append(w, 0, i)).isTrue();
                }
                assertThat(append(w, 4, 100)).isFalse();
                CompletableFuture<Boolean> important = CompletableFuture.supplyAsync(() -> append(w, 5, 101));
                Thread.sleep(300);
                assertThat(important).isNotDone();
                assertThat(append(w, 1, 102)).isFalse();
                stall.release.countDown();
                assertThat(important.get(20, TimeUnit.SECONDS)).isTrue();
                flush(w);
                assertThat(w.stats().dropped()).isEqualTo(2);
            }
            assertThat(readAll(store, ScanRequest.all("s"))).extracting(Fixtures::numberOf)
                    .containsExactlyInAnyOrder(0L, 1L, 2L, 101L);
        }
    }

    @Test
    void rejectsOnlyWhatCannotBeMadeSafeAndCountsEachReason() {
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Store store = Store.open(dir)) {
            store.createStream("s", SMALL);
            try (Writer w = store.writer(options().maxEventBytes(1024)
                    .errorListener((m, c) -> errors.add(m)).build())) {
                long now = nowNanos();
                w.append("s", "k", now + 2 * HOUR, Map.of(), body(1, 10));      // beyond default 1 h skew
                w.append("s", "k", now + HOUR / 2, Map.of(), body(2, 10));      // within it
                w.append("s", "k", now, Map.of(), body(3, 5000));               // too large
                w.append("nope", "k", now, Map.of(), body(4, 10));              // unknown stream
                w.append("s", "bad\nkey", now, Map.of(), body(5, 10));          // control char in key
                w.append("s", "k", -5, Map.of(), body(6, 10));                  // before the epoch
                flush(w);
                WriterStats st = w.stats();
                assertThat(st.appended()).isEqualTo(6);
                assertThat(st.rejectedClockSkew()).isEqualTo(1);
                assertThat(st.rejectedUnknownStream()).isEqualTo(1);
                assertThat(st.rejectedInvalid()).isEqualTo(1);
                assertThat(st.rejected()).isEqualTo(3);
                assertThat(st.written()).isEqualTo(3);
                assertThat(st.truncated()).isEqualTo(1);
                assertThat(st.sanitised()).isEqualTo(1);
                assertThat(st.inFlight()).isZero();
            }
            assertThat(errors).anyMatch(m -> m.contains("in the future"))
                    .anyMatch(m -> m.contains("'nope' does not exist"));
            List<Event> stored = readAll(store, ScanRequest.all("s"));
            assertThat(stored).extracting(Fixtures::numberOf).containsExactlyInAnyOrder(2L, 3L, 5L);
            Event cut = stored.stream().filter(e -> Fixtures.numberOf(e) == 3).findFirst().orElseThrow();
            assertThat(cut.body().length).isLessThan(1024);
            assertThat(cut.body()).startsWith(java.util.Arrays.copyOf(body(3, 5000), cut.body().length));
            assertThat(cut.attributes()).containsEntry(LogAttributes.TRUNCATED, "5000");
            assertThat(stored).anyMatch(e -> e.key().equals("bad\\u000akey"));
        }
    }

    @Test
    void configuredClockSkewIsHonoured() {
        try (Store store = Store.open(dir)) {
            store.createStream("s", SMALL);
            try (Writer w = store.writer(options().maxClockSkew(Duration.ofMinutes(1))
                    .errorListener((m, c) -> { }).build())) {
                w.append("s", "k", nowNanos() + 5 * 60 * Fixtures.SECOND, Map.of(), body(1, 10));
                flush(w);
                assertThat(w.stats().rejected()).isEqualTo(1);
            }
        }
    }

    @Test
    void aThrowingFillerDiscardsOnlyItsEvent() {
        try (Store store = Store.open(dir)) {
            store.createStream("s", SMALL);
            try (Writer w = store.writer(options().build())) {
                assertThat(append(w, 0, 1)).isTrue();
                assertThatThrownBy(() -> w.append("s", 0, (Object a, EventSlot slot) -> {
                    slot.key("half");
                    throw new IllegalStateException("boom");
                }, null)).hasMessage("boom");
                assertThat(append(w, 0, 2)).isTrue();
                flush(w);
            }
            assertThat(readAll(store, ScanRequest.all("s"))).extracting(Fixtures::numberOf).containsExactly(1L, 2L);
        }
    }

    @Test
    void manyProducersGetUniqueIdsAndLoseNothing() throws Exception {
        int threads = 4;
        int each = 5000;
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(64 * 1024).blockBytes(4096).build());
            try (Writer w = store.writer(options().ringSize(1024).ringFullPolicy(RingFullPolicy.BLOCK).build())) {
                List<Thread> ts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int base = t * each;
                    Thread producer = new Thread(() -> {
                        for (int i = 0; i < each; i++) {
                            w.append("s", "k" + (i % 13), nowNanos(), Map.of("t", "x"), body(base + i, 40));
                        }
                    });
                    producer.start();
                    ts.add(producer);
                }
                for (Thread t : ts) {
                    t.join();
                }
                flush(w);
                assertThat(w.stats().written()).isEqualTo((long) threads * each);
                assertThat(w.stats().bucketsOpened()).isGreaterThan(1);
            }
            List<Event> all = readAll(store, ScanRequest.all("s"));
            assertThat(all).hasSize(threads * each).allMatch(Fixtures::intact);
            assertThat(all.stream().map(Event::id).distinct().count()).isEqualTo((long) threads * each);
            assertThat(all.stream().map(Fixtures::numberOf).distinct().count()).isEqualTo((long) threads * each);
        }
    }

    @Test
    void closeDrainsSealsEveryBucketAndRefusesLaterAppends() throws IOException {
        try (Store store = Store.open(dir)) {
            store.createStream("s", SMALL);
            Writer w = store.writer(options().build());
            long now = nowNanos();
            for (int i = 0; i < 300; i++) {
                // three windows: this hour and two late ones
                w.append("s", "k" + i % 5, now - (i % 3) * HOUR, Map.of(), body(i, 60));
            }
            w.close();
            w.close(); // idempotent
            WriterStats st = w.stats();
            assertThat(st.written()).isEqualTo(300);
            assertThat(st.bucketsSealed()).isEqualTo(st.bucketsOpened()).isGreaterThanOrEqualTo(3);
            assertThat(w.append("s", "k", now, Map.of(), body(999, 10))).isFalse();
            assertThat(w.stats().dropped()).isEqualTo(1);
            List<Path> buckets = bucketFiles(dir);
            assertThat(buckets).hasSize((int) st.bucketsOpened());
            for (Path p : buckets) {
                try (BucketFile f = BucketFile.open(TestObjects.object(p),
                        StoreLayout.parseBucketName(p.getFileName().toString()), r -> { })) {
                    assertThat(f.sealed()).as("sealed: " + p).isTrue();
                }
            }
            assertThat(readAll(store, ScanRequest.all("s"))).hasSize(300).allMatch(Fixtures::intact);
        }
    }

    @Test
    void storeCloseClosesItsWriters() {
        Writer w;
        try (Store store = Store.open(dir)) {
            store.createStream("s", SMALL);
            w = store.writer(options().build());
            append(w, 0, 1);
        }
        assertThat(w.stats().bucketsSealed()).isEqualTo(1);
        assertThat(append(w, 0, 2)).isFalse();
    }

    @Test
    void bucketsSpreadOverEveryDirectory() throws IOException {
        Path a = dir.resolve("disk-a");
        Path b = dir.resolve("disk-b");
        try (Store store = Store.open(a, b)) {
            store.createStream("s", SMALL);
            try (Writer w = store.writer(options().build())) {
                for (int i = 0; i < 500; i++) {
                    w.append("s", "k", nowNanos(), Map.of(), body(i, 100));
                }
            }
            assertThat(bucketFiles(a)).isNotEmpty();
            assertThat(bucketFiles(b)).isNotEmpty();
            try (Stream<Path> idx = Files.walk(b)) {
                assertThat(idx.filter(p -> p.toString().endsWith(".idx"))).isEmpty();
            }
            assertThat(readAll(store, ScanRequest.all("s"))).hasSize(500).allMatch(Fixtures::intact);
        }
        try (Store again = Store.open(a, b)) {
            assertThat(readAll(again, ScanRequest.all("s"))).hasSize(500);
        }
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void everyDurabilityModeRoundTrips(Durability mode) {
        try (Store store = Store.open(dir)) {
            store.createStream("s", SMALL);
            try (Writer w = store.writer(options().durability(mode).fsyncInterval(Duration.ofMillis(20)).build())) {
                Set<Long> sent = new HashSet<>();
                for (int i = 0; i < 200; i++) {
                    w.append("s", "k", nowNanos() - (i % 2) * HOUR, Map.of(), body(i, 80));
                    sent.add((long) i);
                    if (i % 50 == 0) {
                        flush(w);
                        assertThat(readAll(store, ScanRequest.all("s"))).hasSize(i + 1);
                    }
                }
                flush(w);
                assertThat(readAll(store, ScanRequest.all("s"))).extracting(Fixtures::numberOf)
                        .containsExactlyInAnyOrderElementsOf(sent);
            }
        }
    }

    static List<Path> bucketFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".bkt")).sorted().toList();
        }
    }
}

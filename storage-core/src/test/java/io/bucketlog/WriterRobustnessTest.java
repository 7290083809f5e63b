package io.bucketlog;

import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static io.bucketlog.Fixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One bad event, a closing writer or a re-entrant producer must never cost other events. */
class WriterRobustnessTest {
    @TempDir
    Path dir;

    private static final StreamConfig CONFIG = StreamConfig.builder().bucketBytes(1 << 20).build();

    /** A value whose characters cannot be read: encoding it throws half-way through a record. */
    static final class Exploding implements CharSequence {
        @Override
        public int length() {
            return 100;
        }

        @Override
        public char charAt(int index) {
            if (index > 50) {
                throw new IllegalStateException("boom");
            }
            return 'x';
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String toString() {
            return "x".repeat(100);
        }
    }

    @Test
    void aRejectedLastEventDoesNotHoldBackTheBatchBeforeIt() {
        WriterTest.Stall listener = new WriterTest.Stall();
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            try (Writer w = store.writer(options().errorListener(listener).build())) {
                for (int i = 0; i < 5; i++) {
                    w.append("s", "k", nowNanos(), Map.of(), body(i, 40));
                }
                w.append("s", 0, (arg, slot) -> slot.key("k").attribute("a", "v"), null); // no timestamp
                flush(w);
                // On disk now, without a further event or a seal: another store sees them.
                try (Store other = Store.open(dir)) {
                    assertThat(readAll(other, ScanRequest.all("s"))).hasSize(5).allMatch(Fixtures::intact);
                }
                assertThat(w.stats().rejected()).isEqualTo(1);
            }
        }
    }

    @Test
    void anErrorOnTheWriterThreadCostsOnlyItsEventAndIsCountedOnce() {
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        WriteErrorListener throwing = (m, c) -> {
            messages.add(m);
            if (m.contains("does not exist") || m.contains("in the future")) {
                throw new OutOfMemoryError("out of memory while reporting");
            }
        };
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            try (Writer w = store.writer(options().errorListener(throwing).build())) {
                // The Error strikes before this event's outcome is known: counted as lost to it.
                w.append("nope", "k", nowNanos(), Map.of(), body(0, 10));
                // The Error strikes after the rejection was counted: not counted again.
                w.append("s", "k", nowNanos() + 2 * Fixtures.HOUR, Map.of(), body(1, 10));
                for (int i = 2; i < 7; i++) {
                    w.append("s", "k", nowNanos(), Map.of(), body(i, 10));
                }
                flush(w);
                WriterStats st = w.stats();
                assertThat(st.appended()).isEqualTo(7);
                assertThat(st.failedError()).isEqualTo(1);
                assertThat(st.rejectedClockSkew()).isEqualTo(1);
                assertThat(st.rejectedUnknownStream()).isZero();
                assertThat(st.written()).isEqualTo(5);
                assertThat(st.inFlight()).isZero();
            }
            assertThat(messages).anyMatch(m -> m.startsWith("event lost: stream 'nope'"));
            assertThat(readAll(store, ScanRequest.all("s"))).hasSize(5).allMatch(Fixtures::intact);
        }
    }

    @Test
    void aValueThatCannotBeReadFailsTheCallerAndCostsNoOtherEvent() {
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            try (Writer w = store.writer(options().build())) {
                for (int i = 0; i < 5; i++) {
                    w.append("s", "k", nowNanos(), Map.of(), body(i, 40));
                }
                assertThatThrownBy(() -> w.append("s", 0, (arg, slot) -> slot.key("k")
                        .timestampNanos(nowNanos()).attribute("bad", new Exploding()), null))
                        .hasMessage("boom");
                for (int i = 5; i < 10; i++) {
                    w.append("s", "k", nowNanos(), Map.of(), body(i, 40));
                }
                flush(w);
                assertThat(w.stats().written()).isEqualTo(10);
            }
            assertThat(readAll(store, ScanRequest.all("s"))).hasSize(10).allMatch(Fixtures::intact);
        }
    }

    @Test
    void aLingeringBlockCollectsEventsOfManyBatchesAndIsWrittenByFlushOrByItsDeadline() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            try (Writer w = store.writer(options().blockLinger(Duration.ofSeconds(1)).build())) {
                for (int i = 0; i < 10; i++) {
                    w.append("s", "k", nowNanos(), Map.of(), body(i, 40));
                    Thread.sleep(5); // each event its own ring batch
                }
                flush(w);
                assertThat(blocksOnDisk()).as("one block for the ten batches").isEqualTo(1);
                try (Store other = Store.open(dir)) {
                    assertThat(readAll(other, ScanRequest.all("s"))).hasSize(10);
                }
                for (int i = 10; i < 15; i++) {
                    w.append("s", "k", nowNanos(), Map.of(), body(i, 40));
                }
                // No flush: the block is written once it has lingered for a second.
                Fixtures.await("the lingering block to be written", () -> {
                    try (Store other = Store.open(dir)) {
                        return readAll(other, ScanRequest.all("s")).size() == 15;
                    }
                });
                assertThat(blocksOnDisk()).isEqualTo(2);
            }
        }
    }

    private long blocksOnDisk() throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            Path bucket = files.filter(p -> p.toString().endsWith(".bkt")).findFirst().orElseThrow();
            try (io.bucketlog.internal.read.BucketFile f = io.bucketlog.internal.read.BucketFile.open(TestObjects.object(bucket),
                    io.bucketlog.internal.store.StoreLayout.parseBucketName(bucket.getFileName().toString()), r -> { })) {
                return f.blocks().size();
            }
        }
    }

    @Test
    void badAttributeNamesAndKeysAreEscapedOrCutAndOnlyAMissingTimestampIsRejected() {
        WriterTest.Stall listener = new WriterTest.Stall();
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            try (Writer w = store.writer(options().errorListener(listener).build())) {
                w.append("s", 0, (arg, slot) -> slot.key("k").timestampNanos(nowNanos()).attribute(null, "v"), null);
                w.append("s", 0, (arg, slot) -> slot.key("k").timestampNanos(nowNanos()).attribute("n".repeat(300), "v"), null);
                w.append("s", "a\uD800", nowNanos(), Map.of(), new byte[1]);
                w.append("s", "a?", nowNanos(), Map.of(), new byte[2]);
                w.append("s", "ok\uD83D\uDE00", nowNanos(), Map.of(), new byte[3]); // a valid pair
                w.append("s", 0, (arg, slot) -> slot.key("k"), null); // no timestamp
                flush(w);
                assertThat(w.stats().rejectedInvalid()).isEqualTo(1);
                assertThat(w.stats().rejected()).isEqualTo(1);
                assertThat(w.stats().written()).isEqualTo(5);
                assertThat(w.stats().sanitised()).isEqualTo(3);
            }
            assertThat(listener.messages).anyMatch(m -> m.contains("no timestamp was set"));
            List<Event> all = readAll(store, ScanRequest.all("s"));
            assertThat(all).anyMatch(e -> e.attributes().containsKey("_"));
            assertThat(all).anyMatch(e -> e.attributes().containsKey("n".repeat(255) + "\u2026"));
            // An unpaired surrogate is escaped, so it is not confused with a key holding '?'.
            assertThat(readAll(store, new ScanRequest("s", "a\\ud800", 0, Long.MAX_VALUE,
                    Direction.FORWARD))).hasSize(1);
            assertThat(readAll(store, new ScanRequest("s", "a?", 0, Long.MAX_VALUE, Direction.FORWARD)))
                    .hasSize(1);
            assertThat(readAll(store, new ScanRequest("s", "ok\uD83D\uDE00", 0, Long.MAX_VALUE,
                    Direction.FORWARD))).hasSize(1);
        }
    }

    @Test
    void unpairedSurrogatesInATextBodyAreEscapedLikeKeysAndCountedAsSanitised() {
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            long t = nowNanos();
            try (Writer w = store.writer(options().build())) {
                w.append("s", 0, (arg, slot) -> slot.key("a").timestampNanos(t).bodyText("x\uD800y"), null);
                w.append("s", 0, (arg, slot) -> slot.key("b").timestampNanos(t + 1).bodyText()
                        .append("\uDC00 then a pair \uD83D\uDE00 and \uD83D"), null);
                w.append("s", 0, (arg, slot) -> slot.key("c").timestampNanos(t + 2)
                        .bodyText("a pair \uD83D\uDE00 only"), null);
                w.append("s", 0, (arg, slot) -> slot.key("d").timestampNanos(t + 3)
                        .bodyText("x?y"), null);
                flush(w);
                assertThat(w.stats().written()).isEqualTo(4);
                assertThat(w.stats().sanitised()).isEqualTo(2);
                assertThat(w.stats().truncated()).isZero();
            }
            assertThat(readAll(store, ScanRequest.all("s"))).extracting(Event::bodyText).containsExactly(
                    "x\\ud800y", "\\udc00 then a pair \uD83D\uDE00 and \\ud83d",
                    "a pair \uD83D\uDE00 only", "x?y");
        }
    }

    @Test
    void aStringRepeatedFromThePreviousEventIsRememberedOnlyOnceFoundValid() {
        // The slot keeps Strings by reference and the writer skips checking the very String it
        // found valid in the previous event: a bad String must be escaped every time it comes,
        // and a good one must not hide a bad value given in a reused buffer at the same place.
        String bad = "x\uD800";
        String good = "fine";
        StringBuilder reused = new StringBuilder();
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            long t = nowNanos();
            try (Writer w = store.writer(options().build())) {
                for (int i = 0; i < 2; i++) {
                    long ts = t + i;
                    w.append("s", 0, (arg, slot) -> slot.key(bad).timestampNanos(ts)
                            .attribute("v", bad).bodyText(bad), null);
                }
                for (String content : new String[] {good, bad, good}) {
                    reused.setLength(0);
                    reused.append(content);
                    w.append("s", 0, (arg, slot) -> slot.key(good).timestampNanos(t + 2)
                            .attribute("v", good).attribute("w", reused), null);
                }
                flush(w);
                assertThat(w.stats().written()).isEqualTo(5);
                assertThat(w.stats().sanitised()).isEqualTo(3);
            }
            List<Event> all = readAll(store, ScanRequest.all("s"));
            assertThat(all.subList(0, 2)).allSatisfy(e -> {
                assertThat(e.key()).isEqualTo("x\\ud800");
                assertThat(e.attributes()).containsEntry("v", "x\\ud800");
                assertThat(e.bodyText()).isEqualTo("x\\ud800");
            });
            assertThat(all.subList(2, 5)).extracting(e -> e.attributes().get("w"))
                    .containsExactly("fine", "x\\ud800", "fine");
            assertThat(all.subList(2, 5)).allSatisfy(e -> assertThat(e.key()).isEqualTo("fine"));
        }
    }

    @Test
    void aValueThatIsTheKeysStringSkipsOnlyAnotherCheckAndABadValueAfterAGoodOneIsStillEscaped() {
        // A key made from a context value is also that value's attribute: the writer checks the
        // String once, as a key, and takes its dictionary entry from the key. A bad value in the
        // slot that held the key's String the event before, or a bad key repeated as its own value,
        // must still be escaped.
        String first = "user-1";
        String second = "user-2";
        String bad = "x\uD800";
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            long t = nowNanos();
            String[][] events = {{first, first}, {second, bad}, {bad, bad}, {first, second}, {second, first}};
            try (Writer w = store.writer(options().build())) {
                for (int i = 0; i < events.length; i++) {
                    String key = events[i][0];
                    String value = events[i][1];
                    long ts = t + i;
                    w.append("s", 0, (arg, slot) -> slot.key(key).timestampNanos(ts).attribute("user", value), null);
                }
                flush(w);
                assertThat(w.stats().written()).isEqualTo(5);
                assertThat(w.stats().sanitised()).isEqualTo(2);
            }
            List<Event> all = readAll(store, ScanRequest.all("s"));
            assertThat(all).extracting(Event::key)
                    .containsExactly(first, second, "x\\ud800", first, second);
            assertThat(all).extracting(e -> e.attributes().get("user"))
                    .containsExactly(first, "x\\ud800", "x\\ud800", second, first);
        }
    }

    @Test
    void eventsTooLargeForReadersCannotBeConfigured() {
        assertThatThrownBy(() -> options().maxEventBytes(100 << 20).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEventBytes");
        assertThatThrownBy(() -> options().maxClockSkew(Duration.ofDays(400 * 365)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxClockSkew");
    }

    @Test
    void theSizeLimitCountsAttributeNamesAndKeysTooAndCutsAttributesFromTheEnd() {
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            try (Writer w = store.writer(options().maxEventBytes(1024).build())) {
                StringBuilder value = new StringBuilder();
                for (int i = 0; i < 40; i++) {
                    value.append("v").append(i);
                }
                // 30 short values, each a new dictionary entry: small record, large dictionary.
                w.append("s", 0, (arg, slot) -> {
                    slot.key("k").timestampNanos(nowNanos());
                    for (int i = 0; i < 30; i++) {
                        slot.attribute("name-" + "n".repeat(200) + i, "v" + i);
                    }
                }, null);
                w.append("s", "k", nowNanos(), Map.of("a", "b"), body(1, 100));
                flush(w);
                assertThat(w.stats().rejected()).isZero();
                assertThat(w.stats().written()).isEqualTo(2);
                assertThat(w.stats().truncated()).isEqualTo(1);
            }
            List<Event> all = readAll(store, ScanRequest.all("s"));
            assertThat(all).hasSize(2);
            Event cut = all.stream().filter(e -> e.attributes().containsKey(LogAttributes.TRUNCATED))
                    .findFirst().orElseThrow();
            // The first attributes are kept, the last ones left out, and the whole fits the limit.
            assertThat(cut.attributes()).containsKey("name-" + "n".repeat(200) + 0)
                    .doesNotContainKey("name-" + "n".repeat(200) + 29);
            assertThat(cut.attributes().keySet().stream().mapToInt(String::length).sum()).isLessThan(1024);
            assertThat(all).filteredOn(Fixtures::intact).hasSize(1);
        }
    }

    @Test
    void multiByteTextIsCutToTheByteLimitOnCharacterBoundaries() {
        String cjk = "日本".repeat(2500);                 // 3 UTF-8 bytes a char
        String emoji = "\uD83D\uDE00".repeat(2500);      // 4 bytes a surrogate pair
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            try (Writer w = store.writer(options().maxEventBytes(4096).build())) {
                for (String text : List.of(cjk, emoji)) {
                    w.append("s", 0, (String t, EventSlot slot) -> slot.key("k").timestampNanos(nowNanos())
                            .bodyText(t), text);
                }
                flush(w);
                assertThat(w.stats().truncated()).isEqualTo(2);
                assertThat(w.stats().lost()).isZero();
            }
            List<Event> all = readAll(store, ScanRequest.all("s"));
            assertThat(all).hasSize(2).allSatisfy(e -> {
                assertThat(e.body().length).isLessThanOrEqualTo(4096).isGreaterThan(3500);
                assertThat(e.attributes()).containsEntry(LogAttributes.TRUNCATED, "5000");
            });
            // Whole characters only: the stored text is a prefix of what was logged.
            assertThat(cjk).startsWith(all.get(0).bodyText());
            assertThat(emoji).startsWith(all.get(1).bodyText());
            assertThat(all.get(1).bodyText().length() % 2).isZero();
        }
    }

    @Test
    void closingReleasesProducersWaitingUnderTheBlockPolicy() throws Exception {
        WriterTest.Stall stall = new WriterTest.Stall();
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            Writer w = store.writer(options().ringSize(4).ringFullPolicy(RingFullPolicy.BLOCK)
                    .shutdownTimeout(Duration.ofMillis(200)).errorListener(stall).build());
            stall.stall(w);
            for (int i = 0; i < 3; i++) {
                assertThat(w.append("s", "k", nowNanos(), Map.of(), body(i, 10))).isTrue();
            }
            List<CompletableFuture<Boolean>> waiting = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = 100 + i;
                waiting.add(CompletableFuture.supplyAsync(() -> w.append("s", "k", nowNanos(), Map.of(), body(n, 10))));
            }
            Thread.sleep(200);
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(w::close);
            Thread.sleep(300);
            stall.release.countDown();
            closing.get(30, TimeUnit.SECONDS);
            for (CompletableFuture<Boolean> f : waiting) {
                assertThat(f.get(10, TimeUnit.SECONDS)).as("a waiting producer returns once closed").isFalse();
            }
            WriterStats stats = w.stats();
            assertThat(stats.dropped()).isGreaterThanOrEqualTo(8);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void closeWithATimeoutGivesUpOnAStuckWriterAndCountsWhatItLeftBehind() throws Exception {
        WriterTest.Stall stall = new WriterTest.Stall();
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            Writer w = store.writer(options().shutdownTimeout(Duration.ofMinutes(10)).errorListener(stall).build());
            stall.stall(w);
            for (int i = 0; i < 20; i++) {
                assertThat(w.append("s", "k", nowNanos(), Map.of(), body(i, 10))).isTrue();
            }
            w.close(Duration.ofMillis(100));
            // close returned while the writer thread is still held: it did not wait the 10 minutes
            assertThat(stall.release.getCount()).isEqualTo(1);
            // the 20, and the stalling event the writer thread is still inside of
            assertThat(w.stats().droppedClosed()).isEqualTo(21);
            assertThat(stall.messages).anyMatch(m -> m.contains("21 events still in its ring"));
            stall.release.countDown();
        }
    }

    @Test
    void aFillerThatAppendsAgainNeverDeadlocksUnderTheBlockPolicy() throws Exception {
        try (Store store = Store.open(dir)) {
            store.createStream("s", CONFIG);
            try (Writer w = store.writer(options().ringSize(4).ringFullPolicy(RingFullPolicy.BLOCK).build())) {
                AtomicInteger nested = new AtomicInteger();
                AtomicInteger calls = new AtomicInteger(1);
                // Each event's filler appends another event, five deep: a message argument whose
                // toString logs. With a 4-slot ring the innermost appends find the ring full.
                EventFiller<Integer> filler = new EventFiller<>() {
                    @Override
                    public void fill(Integer depth, EventSlot slot) {
                        if (depth < 5) {
                            calls.incrementAndGet();
                            if (w.append("s", 0, this, depth + 1)) {
                                nested.incrementAndGet();
                            }
                        }
                        slot.key("k").timestampNanos(nowNanos()).body(body(depth, 10), 0, 10);
                    }
                };
                CompletableFuture<Boolean> outer = CompletableFuture.supplyAsync(() -> w.append("s", 0, filler, 0));
                assertThat(outer.get(20, TimeUnit.SECONDS)).isTrue();
                flush(w);
                WriterStats stats = w.stats();
                // The innermost appends found the 4-slot ring full and dropped instead of waiting.
                assertThat(stats.dropped()).isPositive();
                assertThat(stats.appended()).isEqualTo(calls.get());
                assertThat(stats.written() + stats.dropped()).isEqualTo(calls.get());
                assertThat(stats.written()).isEqualTo(1 + nested.get());
            }
        }
    }
}

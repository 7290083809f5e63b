package io.bucketlog.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Blocks of several writers, ordered by key or not, and what a decoder refuses. */
class BlockFormatTest {
    private static final long BASE = 1_764_576_000_000_000_000L;
    private static final String[] WRITERS = {"zzzzwriter001", "aaaawriter002", "mmmmwriter003"};
    /** Unrelated sequence counters: far apart, as real writers' are. */
    private static final long[] FIRST_SEQ = {9_000_000_000L, 0, 4_242};
    private static final Comparator<Event> KEY_ORDER = Comparator.comparing(Event::key)
            .thenComparingLong(Event::timestampNanos).thenComparing(Event::id);
    private static final Comparator<Event> READ_ORDER = Comparator
            .comparingLong(Event::timestampNanos).thenComparing(Event::id);

    /** Three writers' events, interleaved, some at the same instant, with a few keys. */
    private static List<Event> events(int n) {
        Random random = new Random(3);
        long[] seq = FIRST_SEQ.clone();
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int w = random.nextInt(WRITERS.length);
            long ts = BASE + random.nextInt(1000) * 1_000L;
            String key = "user-" + random.nextInt(5);
            out.add(new Event("s", key, ts, Map.of("n", Integer.toString(i)),
                    ("body " + i).getBytes(StandardCharsets.UTF_8),
                    new EventId(WRITERS[w], seq[w]++)));
        }
        return out;
    }

    private static byte[] block(List<Event> events, boolean keyOrdered, Compression codec) {
        BlockBuilder b = new BlockBuilder(1024, keyOrdered);
        for (Event e : events) {
            assertThat(b.add(record(e), e.id().writerId(), e.id().sequence(), Integer.MAX_VALUE))
                    .isPositive();
        }
        ByteSink out = new ByteSink(1024);
        b.finish(codec, out);
        return out.toByteArray();
    }

    private static RecordSource record(Event e) {
        return new EventRecord().of(e);
    }

    private static List<Event> decode(byte[] frame, String key, boolean expectOrdered) {
        List<Event> out = new ArrayList<>();
        boolean ordered = BlockDecoder.decode(frame, Frame.HEADER_BYTES,
                frame.length - Frame.HEADER_BYTES, "s", "format1writer", key, 0, Long.MAX_VALUE, out);
        assertThat(ordered).as("in read order").isEqualTo(expectOrdered);
        return out;
    }

    @Test
    void aBlockOfThreeInterleavedWritersKeepsEveryEventId() {
        List<Event> events = events(500);
        for (Compression codec : Compression.values()) {
            byte[] frame = block(events, false, codec);
            assertThat(decode(frame, null, false)).as(codec.name()).containsExactlyElementsOf(events);
            BlockDecoder.Header h = BlockDecoder.header(frame, Frame.HEADER_BYTES,
                    frame.length - Frame.HEADER_BYTES);
            assertThat(h.format()).isEqualTo(2);
            assertThat(h.keyOrdered()).isFalse();
            assertThat(h.codec()).isEqualTo(codec);
        }
    }

    @Test
    void aKeyOrderedBlockReadForOneKeyIsInReadOrderAlready() {
        List<Event> events = new ArrayList<>(events(500));
        events.sort(KEY_ORDER);
        byte[] frame = block(events, true, Compression.LZ4);
        assertThat(BlockDecoder.header(frame, Frame.HEADER_BYTES, frame.length - Frame.HEADER_BYTES)
                .keyOrdered()).isTrue();
        assertThat(decode(frame, null, false)).containsExactlyElementsOf(events);
        List<Event> one = decode(frame, "user-3", true);
        assertThat(one).isNotEmpty().isSortedAccordingTo(READ_ORDER)
                .containsExactlyElementsOf(events.stream().filter(e -> e.key().equals("user-3")).toList());
        assertThat(decode(frame, "nobody", true)).isEmpty();
    }

    @Test
    void aKeyOrderedBuilderRefusesAnEventOutOfOrderAndKeepsTheBlockIntact() {
        List<Event> events = new ArrayList<>(events(50));
        events.sort(KEY_ORDER);
        BlockBuilder b = new BlockBuilder(1024, true);
        for (Event e : events.subList(0, 40)) {
            b.add(record(e), e.id().writerId(), e.id().sequence(), Integer.MAX_VALUE);
        }
        Event early = events.get(0);
        Event later = new Event("s", "aaa-new-key-first", early.timestampNanos(), early.attributes(),
                early.body(), new EventId("newwriter0000", 1));
        assertThatThrownBy(() -> b.add(record(later), later.id().writerId(), 1, Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order");
        for (Event e : events.subList(40, 50)) {
            b.add(record(e), e.id().writerId(), e.id().sequence(), Integer.MAX_VALUE);
        }
        ByteSink out = new ByteSink(1024);
        b.finish(Compression.NONE, out);
        assertThat(decode(out.toByteArray(), null, false)).containsExactlyElementsOf(events);
    }

    @Test
    void aBlockThatClaimsAKeyOrderItDoesNotHaveIsCorruptWhereAReadForTheKeyMeetsTheLie() {
        // One key's records newest first: the lie lies inside the key's records.
        List<Event> newestFirst = new ArrayList<>(events(100));
        newestFirst.sort(Comparator.comparing(Event::key).thenComparing(READ_ORDER.reversed()));
        byte[] frame = claimingKeyOrder(newestFirst);
        assertThatThrownBy(() -> decode(frame, "user-1", true))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("order the block claims");
        // A smaller key's records after the key's: met at the first record after the key's.
        List<Event> smallerAfter = new ArrayList<>(events(100));
        smallerAfter.sort(Comparator.comparing((Event e) -> e.key().equals("user-0") ? "user-1~"
                : e.key()).thenComparing(READ_ORDER));
        byte[] swapped = claimingKeyOrder(smallerAfter);
        assertThatThrownBy(() -> decode(swapped, "user-1", true))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("order the block claims");
        // The smaller key both before and after the key's records.
        List<Event> around = new ArrayList<>(events(100));
        around.sort(KEY_ORDER);
        List<Event> zeros = around.stream().filter(e -> e.key().equals("user-0")).toList();
        List<Event> moved = zeros.subList(zeros.size() / 2, zeros.size());
        around.removeAll(moved);
        Event lastOne = around.stream().filter(e -> e.key().equals("user-1")).reduce((a, b) -> b)
                .orElseThrow();
        around.addAll(around.indexOf(lastOne) + 1, moved);
        byte[] aroundFrame = claimingKeyOrder(around);
        assertThatThrownBy(() -> decode(aroundFrame, "user-1", true))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("order the block claims");
    }

    /** A block of these events in the order given, whose flag says they are in key order. */
    private static byte[] claimingKeyOrder(List<Event> events) {
        byte[] frame = block(events, false, Compression.NONE);
        frame[Frame.HEADER_BYTES + 1] = BlockBuilder.KEY_ORDERED;
        return frame;
    }

    @Test
    void aReadForOneKeyOfAKeyOrderedBlockDecompressesOnlyAsFarAsTheKeysRecords() {
        List<Event> events = new ArrayList<>(events(500));
        events.sort(KEY_ORDER);
        byte[] frame = block(events, true, Compression.LZ4);
        // Every key and time range reads what a filter of the whole block keeps.
        Random random = new Random(5);
        for (String key : List.of("user-0", "user-1", "user-2", "user-3", "user-4", "nobody")) {
            for (int i = 0; i < 20; i++) {
                long from = i == 0 ? 0 : BASE + random.nextInt(1000) * 1_000L;
                long to = i == 0 ? Long.MAX_VALUE : from + random.nextInt(400) * 1_000L;
                List<Event> out = new ArrayList<>();
                assertThat(BlockDecoder.decode(frame, Frame.HEADER_BYTES,
                        frame.length - Frame.HEADER_BYTES, "s", "w", key, from, to, out)).isTrue();
                assertThat(out).as("%s in [%d, %d)", key, from, to).containsExactlyElementsOf(
                        events.stream().filter(e -> e.key().equals(key)
                                && e.timestampNanos() >= from && e.timestampNanos() < to).toList());
            }
        }
        // Cut the compressed data short: only reads that reach its end fail.
        int cut = frame.length - Frame.HEADER_BYTES - 40;
        List<Event> first = new ArrayList<>();
        BlockDecoder.decode(frame, Frame.HEADER_BYTES, cut, "s", "w", "user-0", 0, Long.MAX_VALUE,
                first);
        assertThat(first).hasSize(
                (int) events.stream().filter(e -> e.key().equals("user-0")).count());
        assertThatThrownBy(() -> BlockDecoder.decode(frame, Frame.HEADER_BYTES, cut, "s", "w",
                "user-4", 0, Long.MAX_VALUE, new ArrayList<>()))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("LZ4");
        assertThatThrownBy(() -> BlockDecoder.decode(frame, Frame.HEADER_BYTES, cut, "s", "w",
                null, 0, Long.MAX_VALUE, new ArrayList<>()))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("LZ4");
        // A payload's records are walked once: what a stopped walk left is not decompressed.
        BlockDecoder.Payload payload = BlockDecoder.open(frame, Frame.HEADER_BYTES,
                frame.length - Frame.HEADER_BYTES, "s", "w");
        payload.records("user-0", 0, Long.MAX_VALUE, (ts, w, seq, k, at) -> { });
        BlockDecoder.RecordSink none = (ts, w, seq, k, at) -> { };
        assertThatThrownBy(() -> payload.records(null, 0, Long.MAX_VALUE, none))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aKeyOrderedBlockOfKeysBeyondTheBasicPlaneFindsEachKeyInStringOrder() {
        // UTF-8 bytes put U+FF01 before U+1F600; String order (UTF-16) puts it after.
        List<String> keys = new ArrayList<>(List.of("k\uFF01", "k\uD83D\uDE00", "k\u00e9", "ka",
                "k", "k\uE000z", "k\uD83D\uDE00\uFF01"));
        keys.sort(Comparator.naturalOrder());
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            events.add(new Event("s", keys.get(i / 10), BASE + i % 10, Map.of(),
                    ("b" + i).getBytes(StandardCharsets.UTF_8), new EventId(WRITERS[0], i)));
        }
        byte[] frame = block(events, true, Compression.LZ4);
        for (String key : keys) {
            assertThat(decode(frame, key, true)).as(key).containsExactlyElementsOf(
                    events.stream().filter(e -> e.key().equals(key)).toList());
        }
    }

    @Test
    void aBlockOfALaterFormatOrWithUnknownFlagsIsRefusedByName() {
        byte[] frame = block(events(10), false, Compression.NONE);
        byte[] later = frame.clone();
        later[Frame.HEADER_BYTES] = (byte) (3 << 4 | Compression.NONE.code());
        assertThatThrownBy(() -> decode(later, null, false)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("unsupported block format 3");
        byte[] flags = frame.clone();
        flags[Frame.HEADER_BYTES + 1] = 4;
        assertThatThrownBy(() -> decode(flags, null, false)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("unknown block flags 4");
    }

    @Test
    void aSingleWriterBlockNamesItsWriterOnceAndAStepOfOneCostsOneByte() {
        RecordSource r = record(new Event("s", "k", BASE, Map.of(), "b".getBytes(StandardCharsets.UTF_8),
                new EventId(WRITERS[0], 0)));
        BlockBuilder one = new BlockBuilder(1024);
        BlockBuilder two = new BlockBuilder(1024);
        for (int i = 0; i < 100; i++) {
            one.add(r, WRITERS[0], 5 + i, Integer.MAX_VALUE);
            two.add(r, WRITERS[i % 2], 5 + i / 2, Integer.MAX_VALUE);
        }
        ByteSink a = new ByteSink(1024);
        ByteSink b = new ByteSink(1024);
        one.finish(Compression.NONE, a);
        two.finish(Compression.NONE, b);
        // per record: timestamp 1 (the first 9), sequence 1, key 1, attribute count 1, body 2
        int fixed = Frame.HEADER_BYTES + BlockBuilder.BODY_HEADER_BYTES;
        int dictionary = 1 + 1 + 1; // count, "k"
        int writerTable = 1 + 1 + WRITERS[0].length();
        assertThat(a.size()).isEqualTo(fixed + dictionary + writerTable + 100 * 6 + 8);
        // a second writer: its id in the table, and a writer reference per record
        assertThat(b.size() - a.size()).isEqualTo(1 + WRITERS[1].length() + 100);
    }

    @Test
    void aRecordRepeatingThePreviousStringsOrReusingABufferDecodesToItsOwnValues() {
        // The builder remembers the previous record's String per attribute position (a buffer is
        // never remembered: the same object holds another value next time), within one block.
        String level = "INFO";
        StringBuilder reused = new StringBuilder();
        BlockBuilder b = new BlockBuilder(1024);
        List<byte[]> frames = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            reused.setLength(0);
            reused.append("v").append(i % 3);
            String first = i % 4 == 0 ? "other" : level;
            expected.add(first + "/" + reused);
            RecordSource r = new RecordSource() {
                @Override
                public CharSequence key() {
                    return "k";
                }

                @Override
                public long timestampNanos() {
                    return BASE;
                }

                @Override
                public int attributeCount() {
                    return 2;
                }

                @Override
                public String attributeName(int a) {
                    return a == 0 ? "level" : "value";
                }

                @Override
                public CharSequence attributeValue(int a) {
                    return a == 0 ? first : reused;
                }

                @Override
                public CharSequence textBody() {
                    return "";
                }

                @Override
                public byte[] bodyBytes() {
                    return new byte[0];
                }

                @Override
                public int bodyLength() {
                    return 0;
                }
            };
            assertThat(b.add(r, WRITERS[0], i, Integer.MAX_VALUE)).isPositive();
            if (i == 4 || i == 7) { // a new block starts a new dictionary
                ByteSink out = new ByteSink(256);
                b.finish(Compression.NONE, out);
                frames.add(out.toByteArray());
            }
        }
        List<String> decoded = new ArrayList<>();
        for (byte[] f : frames) {
            for (Event e : decode(f, null, false)) {
                decoded.add(e.attributes().get("level") + "/" + e.attributes().get("value"));
            }
        }
        assertThat(decoded).containsExactlyElementsOf(expected);
    }
}

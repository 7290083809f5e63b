package io.bucketlog.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile block bodies (a CRC is only a checksum: a program can write any bytes with a valid
 * one) through every way a reader decodes a block: whole, for one key (a key-ordered block's read
 * stops early and decompresses only what it walks), and opened, walked, then built event by event
 * as a scan does. Whatever the bytes, a read ends in events or a {@link CorruptDataException},
 * never another exception; what it returns is what was asked for; and an event whose record the
 * walk passed is always built.
 */
class BlockDecoderFuzzTest {
    private static final long BASE = 1_764_576_000_000_000_000L;
    private static final String[] KEYS = {"a", "b", "user-1", "user-2", "\u00e9t\u00e9", "z"};
    private static final Comparator<Event> KEY_ORDER = Comparator.comparing(Event::key)
            .thenComparingLong(Event::timestampNanos).thenComparing(Event::id);

    @Test
    void aDamagedBlockDecodesToWhatWasAskedForOrFailsAsCorruptWhicheverWayItIsRead() {
        SplittableRandom seeds = new SplittableRandom(23);
        int corrupt = 0;
        int cases = 6_000;
        for (int c = 0; c < cases; c++) {
            long seed = seeds.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            byte[] frame = damage(block(r), r);
            String key = r.nextInt(4) == 0 ? null : KEYS[r.nextInt(KEYS.length)];
            long from = r.nextBoolean() ? 0 : BASE + r.nextInt(100);
            long to = r.nextBoolean() ? Long.MAX_VALUE : from + r.nextInt(100);
            try {
                List<Event> out = new ArrayList<>();
                BlockDecoder.decode(frame, Frame.HEADER_BYTES, frame.length - Frame.HEADER_BYTES,
                        "s", "w", key, from, to, out);
                for (Event e : out) {
                    assertThat(key == null || e.key().equals(key)).as("seed %d", seed).isTrue();
                    assertThat(e.timestampNanos()).as("seed %d", seed).isGreaterThanOrEqualTo(from)
                            .isLessThan(to);
                }
            } catch (CorruptDataException e) {
                corrupt++;
            } catch (RuntimeException | OutOfMemoryError e) {
                fail("seed " + seed + ": decode threw " + e, e);
            }
            try {
                BlockDecoder.Payload p = BlockDecoder.open(frame, Frame.HEADER_BYTES,
                        frame.length - Frame.HEADER_BYTES, "s", "w");
                List<long[]> kept = new ArrayList<>();
                List<String> writers = new ArrayList<>();
                List<String> keys = new ArrayList<>();
                p.records(key, from, to, (ts, writer, sq, k, at) -> {
                    kept.add(new long[] {ts, sq, at});
                    writers.add(writer);
                    keys.add(k);
                });
                for (int i = 0; i < kept.size(); i++) {
                    long[] k = kept.get(i);
                    Event e = p.event((int) k[2], k[0], new EventId(writers.get(i), k[1]),
                            keys.get(i));
                    assertThat(key == null || e.key().equals(key)).as("seed %d", seed).isTrue();
                }
            } catch (CorruptDataException e) {
                // refused before or while walking: nothing was built from it
            } catch (RuntimeException | OutOfMemoryError e) {
                fail("seed " + seed + ": open, walk or build threw " + e, e);
            }
        }
        assertThat(corrupt).as("damaged blocks refused").isGreaterThan(cases / 10);
    }

    /** A valid block frame: 1-120 events of a few keys and writers, key-ordered or not. */
    private static byte[] block(SplittableRandom r) {
        boolean keyOrdered = r.nextBoolean();
        List<Event> events = new ArrayList<>();
        long[] seqs = new long[3];
        int n = 1 + r.nextInt(120);
        for (int i = 0; i < n; i++) {
            int w = r.nextInt(3);
            Map<String, String> attrs = r.nextBoolean() ? Map.of()
                    : Map.of("level", r.nextBoolean() ? "INFO" : "WARN", "n", Integer.toString(i));
            events.add(new Event("s", KEYS[r.nextInt(KEYS.length)], BASE + r.nextInt(100), attrs,
                    ("body " + i).getBytes(StandardCharsets.UTF_8),
                    new EventId("writer" + w, seqs[w]++)));
        }
        if (keyOrdered) {
            events.sort(KEY_ORDER);
        }
        BlockBuilder b = new BlockBuilder(1 << 16, keyOrdered);
        EventRecord record = new EventRecord();
        for (Event e : events) {
            b.add(record.of(e), e.id().writerId(), e.id().sequence(), Integer.MAX_VALUE);
        }
        ByteSink out = new ByteSink(1024);
        int codec = r.nextInt(8);
        b.finish(codec < 2 ? Compression.NONE : codec < 5 ? Compression.LZ4 : Compression.ZSTD,
                out);
        return out.toByteArray();
    }

    /** The frame with its body damaged one of several ways (its frame header is not read here). */
    private static byte[] damage(byte[] frame, SplittableRandom r) {
        int body = Frame.HEADER_BYTES;
        int len = frame.length - body;
        byte[] f = frame.clone();
        switch (r.nextInt(6)) {
            case 0 -> f[body + r.nextInt(len)] ^= (byte) (1 + r.nextInt(255));
            case 1 -> {
                for (int k = 0; k < 1 + r.nextInt(8); k++) {
                    f[body + r.nextInt(len)] = (byte) r.nextInt(256);
                }
            }
            case 2 -> f = Arrays.copyOf(f, body + r.nextInt(len));
            case 3 -> { // past the fixed fields: the payload or its compressed form
                int fixed = Math.min(len, BlockBuilder.BODY_HEADER_BYTES);
                for (int k = body + fixed; k < f.length; k++) {
                    if (r.nextInt(8) == 0) {
                        f[k] = (byte) r.nextInt(256);
                    }
                }
            }
            case 4 -> { // the uncompressed length or the record count
                int at = body + 2 + r.nextInt(8);
                if (at < f.length) {
                    f[at] = (byte) r.nextInt(256);
                }
            }
            default -> {
                // undamaged
            }
        }
        return f;
    }
}

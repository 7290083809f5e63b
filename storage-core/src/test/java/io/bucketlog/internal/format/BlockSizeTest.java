package io.bucketlog.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What a record costs in a block written by one writer in arrival order, the common case: the
 * writer is not repeated per record and a sequence step of one costs one byte.
 */
class BlockSizeTest {
    private static final String WRITER = "a3v4ckpeccq0w";
    private static final long BASE = 1_764_576_000_000_000_000L;

    @Test
    void eachRecordOfASingleWriterBlockCostsExactlyItsFieldsAndNoWriter() {
        Event r = event("com.example.Orders", 0, "x".repeat(40), "level", "INFO", "thread", "main");
        int n = 100;
        int once = payloadBytes(r, n);
        int twice = payloadBytes(r, 2 * n);
        // per record: timestamp step 10 us (zigzag 20000: 3 bytes), sequence step 1 (1 byte), key
        // (1), attribute count (1), two attributes (2 x 2), body length (1) and body (40)
        assertThat(twice - once).isEqualTo(n * (3 + 1 + 1 + 1 + 4 + 1 + 40));
    }

    @Test
    void aTypicalLoggingBlockIsSmallerInZstdThanInLz4AndDecodesTheSame() {
        List<Event> records = typicalLogEvents(64 * 1024);
        ByteSink lz4 = new ByteSink(128 * 1024);
        ByteSink zstd = new ByteSink(128 * 1024);
        ByteSink none = new ByteSink(128 * 1024);
        int lz4Frame = block(records).finish(Compression.LZ4, lz4);
        int zstdFrame = block(records).finish(Compression.ZSTD, zstd);
        int noneFrame = block(records).finish(Compression.NONE, none);
        int count = records.size();
        System.out.printf("typical logging block: %d records, uncompressed frame %d bytes (%.2f per"
                + " record), LZ4 frame %d bytes (%.2f per record), zstd frame %d bytes (%.2f per"
                + " record)%n", count, noneFrame, (double) noneFrame / count, lz4Frame,
                (double) lz4Frame / count, zstdFrame, (double) zstdFrame / count);
        assertThat(lz4Frame).isLessThan(noneFrame);
        assertThat(zstdFrame).isLessThan(lz4Frame);
        byte[] frame = zstd.toByteArray();
        List<Event> decoded = new ArrayList<>();
        BlockDecoder.decode(frame, Frame.HEADER_BYTES, frame.length - Frame.HEADER_BYTES, "s",
                WRITER, null, 0, Long.MAX_VALUE, decoded);
        assertThat(decoded).extracting(BlockSizeTest::keyTimeBody).containsExactlyElementsOf(
                records.stream().map(BlockSizeTest::keyTimeBody).toList());
    }

    private static String keyTimeBody(Event e) {
        return e.key() + " " + e.timestampNanos() + " "
                + new String(e.body(), StandardCharsets.UTF_8);
    }

    /** Log events of one writer in arrival order, as many as make a block of {@code bytes}. */
    private static List<Event> typicalLogEvents(int bytes) {
        Random random = new Random(7);
        String[] loggers = new String[20];
        for (int i = 0; i < loggers.length; i++) {
            loggers[i] = "com.example.service.module" + i + ".Component" + i;
        }
        String[] levels = {"INFO", "INFO", "INFO", "DEBUG", "WARN"};
        List<Event> out = new ArrayList<>();
        BlockBuilder b = new BlockBuilder(bytes);
        long ts = BASE;
        while (b.estimatedBytes() < bytes) {
            ts += 10_000 + random.nextInt(40_000);
            Event r = event(loggers[random.nextInt(loggers.length)], ts,
                    "Handled request " + random.nextInt(1_000_000) + " for user-" + random.nextInt(5000)
                            + " in " + random.nextInt(900) + " ms with status "
                            + (random.nextInt(10) == 0 ? 500 : 200),
                    "level", levels[random.nextInt(levels.length)],
                    "thread", "http-nio-8080-exec-" + random.nextInt(8),
                    "requestId", Long.toHexString(random.nextLong()));
            add(b, r, 1000 + out.size());
            out.add(r);
        }
        return out;
    }

    private static BlockBuilder block(List<Event> records) {
        BlockBuilder b = new BlockBuilder(64 * 1024);
        for (int i = 0; i < records.size(); i++) {
            assertThat(add(b, records.get(i), 1000 + i)).isPositive();
        }
        return b;
    }

    private static int add(BlockBuilder b, Event e, long seq) {
        return b.add(new EventRecord().of(e), WRITER, seq, Integer.MAX_VALUE);
    }

    private static Event event(String key, long ts, String body, String... attributes) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            attrs.put(attributes[i], attributes[i + 1]);
        }
        return new Event("s", key, ts, attrs, body.getBytes(StandardCharsets.UTF_8), new EventId(WRITER, 0));
    }

    /** Uncompressed payload bytes of {@code n} copies of {@code r}, 10 us apart, sequences 7, 8... */
    private static int payloadBytes(Event r, int n) {
        BlockBuilder b = new BlockBuilder(64 * 1024);
        for (int i = 0; i < n; i++) {
            add(b, new Event(r.stream(), r.key(), BASE + i * 10_000L, r.attributes(), r.body(), r.id()), 7 + i);
        }
        ByteSink out = new ByteSink(1024);
        b.finish(Compression.NONE, out);
        return out.size();
    }
}

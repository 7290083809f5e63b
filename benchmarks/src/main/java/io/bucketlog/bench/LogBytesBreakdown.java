package io.bucketlog.bench;

import io.bucketlog.Compression;
import io.bucketlog.StreamConfig;
import io.bucketlog.internal.format.BlockBuilder;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.RecordSource;

/**
 * Where the bytes of a logging block go: the logging harness's events ({@link SampleLogEvent}:
 * 10 000 users in turn as key and MDC value, {@code "order {} processed for user {} in {} ms"},
 * 1 µs apart) encoded into 64 KiB blocks as the bucket writer cuts them (LZ4, or the codec
 * named by the second argument: {@code ZSTD}, the appenders' default, or {@code NONE}), in
 * variants that each take one part away, so that the difference to the first line is what that
 * part costs per event:
 * <ul>
 *   <li>{@code as stored}: what format 2 stores today;</li>
 *   <li>{@code message as pattern + arguments}: the body replaced by a reference to the pattern
 *       (a dictionary string) and the two numeric arguments as attribute values, the user being
 *       the key already: an upper bound of what a pattern dictionary (format 3) would save;</li>
 *   <li>{@code no body}: the body left out;</li>
 *   <li>{@code one key}: key and MDC value the same string for every event, so each block's
 *       dictionary holds one key instead of ~900: what a key dictionary per bucket, rather than per
 *       block, would leave (the body still names the user);</li>
 *   <li>{@code users at random, not in turn}: the same events, each of a user drawn at random
 *       (fixed seed) instead of the next one, so that a block's new dictionary strings are not in
 *       order: what a dictionary coding that relies on the order of new strings saves when the ids come unordered.</li>
 * </ul>
 * Only bytes of block frames are counted (no bucket header, footer or index).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.bucketlog.bench.LogBytesBreakdown [events [codec]]
 * </pre>
 */
public final class LogBytesBreakdown {
    private static final String PATTERN = "order {} processed for user {} in {} ms";
    private static final String[] MESSAGE_NAMES = {"msg.pattern", "msg.0", "msg.1"};
    private static final String SAME_KEY = "user";

    private enum Variant {
        AS_STORED("as stored"),
        PATTERN_ARGUMENTS("message as pattern + arguments"),
        NO_BODY("no body"),
        ONE_KEY("one key"),
        RANDOM_USERS("users at random, not in turn");

        final String title;

        Variant(String title) {
            this.title = title;
        }
    }

    /** A {@link SampleLogEvent} with the variant's part taken away. */
    private static final class VariantEvent implements RecordSource {
        private final Variant variant;
        private final SampleLogEvent event = new SampleLogEvent();
        private final java.util.Random random = new java.util.Random(12);
        private final String[] message = {PATTERN, "", ""};
        private int base;

        VariantEvent(Variant variant) {
            this.variant = variant;
        }

        void set(long i, long baseNanos) {
            if (variant == Variant.RANDOM_USERS) {
                event.set(i, baseNanos, random.nextInt(SampleLogEvent.USERS));
            } else {
                event.set(i, baseNanos);
            }
            base = event.attributeCount();
            message[1] = Long.toString(i);
            message[2] = Long.toString(i % 500);
        }

        @Override
        public CharSequence key() {
            return variant == Variant.ONE_KEY ? SAME_KEY : event.key();
        }

        @Override
        public long timestampNanos() {
            return event.timestampNanos();
        }

        @Override
        public int attributeCount() {
            return base + (variant == Variant.PATTERN_ARGUMENTS ? MESSAGE_NAMES.length : 0);
        }

        @Override
        public String attributeName(int i) {
            return i < base ? event.attributeName(i) : MESSAGE_NAMES[i - base];
        }

        @Override
        public CharSequence attributeValue(int i) {
            if (i >= base) {
                return message[i - base];
            }
            CharSequence v = event.attributeValue(i);
            return variant == Variant.ONE_KEY && v.equals(event.key()) ? SAME_KEY : v;
        }

        @Override
        public CharSequence textBody() {
            return switch (variant) {
                case AS_STORED, ONE_KEY, RANDOM_USERS -> event.textBody();
                case PATTERN_ARGUMENTS, NO_BODY -> "";
            };
        }

        @Override
        public byte[] bodyBytes() {
            return null;
        }

        @Override
        public int bodyLength() {
            return 0;
        }
    }

    private LogBytesBreakdown() {
    }

    public static void main(String[] args) {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        Compression codec = args.length > 1 ? Compression.valueOf(args[1]) : Compression.LZ4;
        int blockBytes = StreamConfig.DEFAULT_BLOCK_BYTES;
        System.out.printf("%d events, %s blocks of %d bytes%n", events, codec, blockBytes);
        for (Variant v : Variant.values()) {
            BlockBuilder block = new BlockBuilder(blockBytes);
            ByteSink out = new ByteSink(2 * blockBytes);
            VariantEvent e = new VariantEvent(v);
            long bytes = 0;
            for (long i = 0; i < events; i++) {
                e.set(i, 1_764_000_000_000_000_000L);
                block.add(e, "writer", i, Integer.MAX_VALUE);
                if (block.estimatedBytes() >= blockBytes) {
                    out.clear();
                    bytes += block.finish(codec, out);
                }
            }
            if (!block.isEmpty()) {
                out.clear();
                bytes += block.finish(codec, out);
            }
            System.out.printf("%-32s %6.2f bytes/event%n", v.title, (double) bytes / events);
        }
    }
}

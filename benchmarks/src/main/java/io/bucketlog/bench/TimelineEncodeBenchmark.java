package io.bucketlog.bench;

import io.bucketlog.Compression;
import io.bucketlog.Names;
import io.bucketlog.internal.format.BucketEncoder;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.RecordSource;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bucket writer's per-event work on the timeline harness's workload, without the ring and the
 * file: the key's validation ({@link Names#keyProblem}, what the writer's limits check first),
 * {@link BucketEncoder#add}, a block cut at 4 KiB as {@code TimelineChild.TIMELINE_CONFIG} says
 * (LZ4, frame, footer entry), and a seal (footer and trailer) every million events.
 * Keys are one of 100 000 users picked at random, 8 ASCII characters like {@code TimelineData}'s,
 * given as a reused {@code StringBuilder} ({@code key=builder}, what the harness's filler does) or
 * as a {@code String} already made ({@code key=string}); bodies are 150 bytes. Scores are per
 * event ({@link OperationsPerInvocation}); with {@code -prof gc}, {@code gc.alloc.rate.norm} is the
 * bytes allocated per event.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TimelineEncodeBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class TimelineEncodeBenchmark {
    private static final int USERS = 100_000;
    /**
     * Events per operation, a bucket: enough for every key to be in the footer about ten times
     * (the harness's 5 M make it fifty), few enough that every iteration holds seals, which
     * otherwise make the iterations that hold one outliers.
     */
    static final int EVENTS_PER_BUCKET = 1_000_000;
    private static final int PICKS = 1 << 20;
    private static final int BLOCK_BYTES = 4096;
    private static final int MAX_EVENT_BYTES = 1 << 20;
    private static final String WRITER = "0123456789abc";
    private static final long BASE = 1_700_000_000_000_000_000L;

    @Param({"builder", "string"})
    public String key;

    private final TimelineEvent event = new TimelineEvent();
    private String[] users;
    private int[] picks;
    private boolean keyInABuffer;
    private final ByteSink scratch = new ByteSink(64 * 1024);
    private long next;
    /** The CRC of every byte encoded, when {@link #main} checks what is stored. */
    private CRC32 written;

    @Setup
    public void setUp() {
        users = new String[USERS];
        byte[] b = new byte[8];
        for (int u = 0; u < USERS; u++) {
            b[0] = 'u';
            int v = u;
            for (int i = 7; i >= 1; i--) {
                b[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            users[u] = new String(b, StandardCharsets.US_ASCII);
        }
        SplittableRandom rnd = new SplittableRandom(42);
        picks = new int[PICKS];
        for (int i = 0; i < PICKS; i++) {
            picks[i] = rnd.nextInt(USERS);
        }
        event.fillBody();
        for (int i = 0; i < event.variants.length; i++) {
            event.variants[i] = (byte) "0123456789abcdef".charAt(rnd.nextInt(16));
        }
        keyInABuffer = key.equals("builder");
    }

    private static BucketEncoder newEncoder() {
        BucketHeader header = new BucketHeader(Compression.LZ4, BASE, 86_400_000_000_000L, 0, 0,
                WRITER, "timeline");
        return new BucketEncoder(header, BLOCK_BYTES, BLOCK_BYTES, false);
    }

    /** One bucket: its events, each block cut at 4 KiB, and its seal. The score is per event. */
    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_BUCKET)
    public long bucket() {
        BucketEncoder encoder = newEncoder();
        long offset = 0;
        for (int n = 0; n < EVENTS_PER_BUCKET; n++) {
            long i = next++;
            String user = users[picks[(int) (i & (PICKS - 1))]];
            if (keyInABuffer) {
                event.keyText.setLength(0);
                event.keyText.append(user);
                event.key = event.keyText;
            } else {
                event.key = user;
            }
            event.ts = BASE + i * 17_000_000L % 86_400_000_000_000L;
            event.vary((int) i);
            if (Names.keyProblem(event.key) != null) {
                throw new IllegalStateException("invalid key " + user);
            }
            encoder.add(event, WRITER, i, MAX_EVENT_BYTES);
            if (encoder.blockFull()) {
                offset += encodeBlock(encoder, offset);
            }
        }
        offset += encodeBlock(encoder, offset);
        scratch.clear();
        encoder.encodeSeal(scratch, offset);
        update();
        return offset + scratch.size();
    }

    private long encodeBlock(BucketEncoder encoder, long offset) {
        scratch.clear();
        encoder.encodeBlock(scratch, offset);
        update();
        return scratch.size();
    }

    private void update() {
        if (written != null) {
            written.update(scratch.array(), 0, scratch.size());
        }
    }

    /**
     * Prints the size and CRC-32 of the bucket the benchmark encodes first, for both kinds of key,
     * so that a change to the encoder can show it stores the same bytes: {@code java -cp
     * benchmarks/target/benchmarks.jar io.bucketlog.bench.TimelineEncodeBenchmark}.
     */
    public static void main(String[] args) {
        for (String kind : new String[] {"builder", "string"}) {
            TimelineEncodeBenchmark b = new TimelineEncodeBenchmark();
            b.key = kind;
            b.setUp();
            b.written = new CRC32();
            long bytes = b.bucket();
            System.out.printf("key=%s: %d bytes, CRC-32 %08x%n", kind, bytes, b.written.getValue());
        }
    }

    /** A timeline event as a ring slot holds it: a key, a timestamp, a 150-byte body, no attributes. */
    private static final class TimelineEvent implements RecordSource {
        final StringBuilder keyText = new StringBuilder(16);
        final byte[] body = new byte[150];
        /** Product digits and session ids to vary bodies by, as {@code TimelineData} does. */
        final byte[] variants = new byte[1 << 16];
        CharSequence key = "";
        long ts;

        void fillBody() {
            byte[] t = ("{\"type\":\"page_view\",\"page\":\"/products/000000\",\"session\":\"0000000000000000\","
                    + "\"ms\":0000,\"ref\":\"campaign-00\",\"ua\":\"Mozilla/5.0 (X11; Linux x86_64)")
                    .getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(t, 0, body, 0, Math.min(t.length, body.length));
            for (int i = t.length; i < body.length; i++) {
                body[i] = ' ';
            }
            body[body.length - 1] = '}';
        }

        void vary(int i) {
            int at = (i * 22) & (variants.length - 32);
            System.arraycopy(variants, at, body, 38, 6);
            System.arraycopy(variants, at + 6, body, 57, 16);
        }

        @Override
        public CharSequence key() {
            return key;
        }

        @Override
        public long timestampNanos() {
            return ts;
        }

        @Override
        public int attributeCount() {
            return 0;
        }

        @Override
        public String attributeName(int i) {
            throw new IndexOutOfBoundsException(i);
        }

        @Override
        public CharSequence attributeValue(int i) {
            throw new IndexOutOfBoundsException(i);
        }

        @Override
        public CharSequence textBody() {
            return null;
        }

        @Override
        public byte[] bodyBytes() {
            return body;
        }

        @Override
        public int bodyLength() {
            return body.length;
        }
    }
}

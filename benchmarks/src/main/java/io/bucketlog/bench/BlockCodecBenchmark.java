package io.bucketlog.bench;

import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.internal.format.BlockBuilder;
import io.bucketlog.internal.format.BlockDecoder;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Record encoding and decoding of one block of log events ({@link BlockBuilder},
 * {@link BlockDecoder}), and what compression adds: {@code codec=NONE} against {@code LZ4} and
 * {@code ZSTD}. Scores are per event ({@link OperationsPerInvocation}); with {@code -prof gc},
 * {@code gc.alloc.rate.norm} is the bytes allocated per event.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BlockCodecBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BlockCodecBenchmark {
    /** Events per block: about 64 KiB of these log events, the default block size. */
    static final int EVENTS = 600;
    private static final long BASE = 1_700_000_000_000_000_000L;
    private static final String WRITER = "0123456789abc";

    @Param({"NONE", "LZ4", "ZSTD"})
    public Compression codec;

    private final SampleLogEvent[] records = new SampleLogEvent[EVENTS];
    private BlockBuilder builder;
    private ByteSink out;
    private byte[] block;
    private final List<Event> decoded = new ArrayList<>(EVENTS);

    @Setup
    public void setUp() {
        for (int i = 0; i < EVENTS; i++) {
            records[i] = new SampleLogEvent().set(i, BASE);
        }
        builder = new BlockBuilder(64 * 1024);
        out = new ByteSink(128 * 1024);
        for (SampleLogEvent r : records) {
            builder.add(r, WRITER, 1, Integer.MAX_VALUE);
        }
        out.clear();
        builder.finish(codec, out);
        block = out.toByteArray();
    }

    /** Encodes a block: records, dictionary, compression and CRC. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int encode() {
        for (int i = 0; i < EVENTS; i++) {
            builder.add(records[i], WRITER, i + 1, Integer.MAX_VALUE);
        }
        out.clear();
        return builder.finish(codec, out);
    }

    /** Decodes every event of a block into {@link Event}s, as a scan does. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int decodeAll() {
        decoded.clear();
        BlockDecoder.decode(block, Frame.HEADER_BYTES, block.length - Frame.HEADER_BYTES, "bench",
                WRITER, null, 0, Long.MAX_VALUE, decoded);
        return decoded.size();
    }

    /** Decodes a block for one key, as a key lookup does: the other records are skipped. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int decodeOneKey() {
        decoded.clear();
        BlockDecoder.decode(block, Frame.HEADER_BYTES, block.length - Frame.HEADER_BYTES, "bench",
                WRITER, "user-100007", 0, Long.MAX_VALUE, decoded);
        return decoded.size();
    }
}

package io.bucketlog.bench;

import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.format.BloomFilter;
import io.bucketlog.internal.format.BucketFooter;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.FooterBuilder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The read side's pruning steps for a key lookup in a sealed bucket: the Bloom filter (index
 * entry), the footer's key table, and decoding a whole footer (what an uncached lookup pays). The
 * bucket is shaped like the timeline workload's: {@code keys} users, 50 events each, spread over
 * blocks of about 25 events.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FooterLookupBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FooterLookupBenchmark {
    @Param({"10000", "100000"})
    public int keys;

    private String[] present;
    private String[] absent;
    private byte[] footerBytes;
    private BucketFooter footer;
    private BloomFilter bloom;
    private int next;

    @Setup
    public void setUp() {
        present = new String[keys];
        absent = new String[keys];
        for (int k = 0; k < keys; k++) {
            present[k] = String.format("u%07d", k);
            absent[k] = String.format("x%07d", k);
        }
        FooterBuilder fb = new FooterBuilder();
        long events = keys * 50L;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        int perBlock = 25;
        for (long e = 0; e < events; e++) {
            fb.addEvent(present[rnd.nextInt(keys)], e);
            if ((e + 1) % perBlock == 0) {
                fb.addBlock(new BlockEntry(e * 100, 4096, e - perBlock + 1, e, perBlock));
            }
        }
        ByteSink out = new ByteSink(1 << 20);
        bloom = fb.writeTo(out);
        footerBytes = out.toByteArray();
        footer = BucketFooter.readFrom(new ByteSource(footerBytes), Long.MAX_VALUE / 2);
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == keys ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public boolean bloomHit() {
        return bloom.mightContain(present[nextIndex()]);
    }

    @Benchmark
    public boolean bloomMiss() {
        return bloom.mightContain(absent[nextIndex()]);
    }

    /** Binary search of the key table, then the key's block list: a cached footer's lookup. */
    @Benchmark
    public int footerKeyBlocks() {
        int k = footer.keyIndex(present[nextIndex()]);
        return k < 0 ? 0 : footer.keyBlocks()[k].length;
    }

    /** Decodes a whole footer: what a lookup pays when the footer is not cached. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public BucketFooter footerDecode() {
        return BucketFooter.readFrom(new ByteSource(footerBytes), Long.MAX_VALUE / 2);
    }
}

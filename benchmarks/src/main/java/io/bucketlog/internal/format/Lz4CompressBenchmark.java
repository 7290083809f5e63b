package io.bucketlog.internal.format;

import io.bucketlog.bench.HarnessBlockPayloads;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
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
 * The bucket writer's LZ4, per 64 KiB block of the logging harness's events
 * ({@link HarnessBlockPayloads}, {@value #BLOCKS} blocks in turn): {@link Lz4Compressor} against
 * lz4-java's pure-Java fast compressor, which the writer used before. With {@code -prof gc},
 * {@code gc.alloc.rate.norm} is the bytes allocated per block. {@link #clearTable} is what
 * clearing the hash table would cost per block instead of {@link Lz4Compressor}'s generations.
 * {@link #main} prints the compressed bytes per block of both, which are deterministic.
 *
 * <p>In this package, not {@code io.bucketlog.bench}, because the compressor is package-private.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Lz4CompressBenchmark -prof gc
 * java -cp benchmarks/target/benchmarks.jar io.bucketlog.internal.format.Lz4CompressBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Lz4CompressBenchmark {
    static final int BLOCKS = 32;

    /** Whose compressor: {@code ours} ({@link Lz4Compressor}) or {@code lz4java}. */
    @Param({"ours", "lz4java"})
    public String compressor;

    private byte[][] payloads;
    private byte[] dest;
    private Lz4Compressor ours;
    private LZ4Compressor lz4Java;
    private int next;

    @Setup
    public void setUp() {
        payloads = HarnessBlockPayloads.payloads(BLOCKS);
        int max = Arrays.stream(payloads).mapToInt(p -> p.length).max().orElseThrow();
        dest = new byte[Lz4Compressor.maxCompressedLength(max)];
        ours = new Lz4Compressor();
        lz4Java = LZ4Factory.safeInstance().fastCompressor();
    }

    /** Compresses the next block. */
    @Benchmark
    public int compress() {
        byte[] p = payloads[next];
        next = (next + 1) % BLOCKS;
        return compressor.equals("ours")
                ? ours.compress(p, 0, p.length, dest, 0, dest.length)
                : lz4Java.compress(p, 0, p.length, dest, 0, dest.length);
    }

    /** A hash table the size of {@link Lz4Compressor}'s. */
    @State(Scope.Thread)
    public static class Table {
        final int[] entries = new int[1 << 13];
    }

    /** Clears the table, as a compressor without generations would once per block. */
    @Benchmark
    public int[] clearTable(Table t) {
        Arrays.fill(t.entries, 0);
        return t.entries;
    }

    /** Prints the compressed bytes of each compressor for the same blocks. */
    public static void main(String[] args) {
        byte[][] payloads = HarnessBlockPayloads.payloads(args.length > 0 ? Integer.parseInt(args[0]) : 1000);
        Lz4Compressor ours = new Lz4Compressor();
        LZ4Compressor lz4Java = LZ4Factory.safeInstance().fastCompressor();
        long raw = 0;
        long oursBytes = 0;
        long theirBytes = 0;
        int over64k = 0;
        int identical = 0;
        for (byte[] p : payloads) {
            byte[] a = new byte[Lz4Compressor.maxCompressedLength(p.length)];
            byte[] b = new byte[a.length];
            int n = ours.compress(p, 0, p.length, a, 0, a.length);
            int m = lz4Java.compress(p, 0, p.length, b, 0, b.length);
            raw += p.length;
            oursBytes += n;
            theirBytes += m;
            over64k += p.length > (1 << 16) + 10 ? 1 : 0;
            identical += Arrays.equals(a, 0, n, b, 0, m) ? 1 : 0;
        }
        System.out.printf("%d blocks (%d over 64 KiB + 10 bytes), %.1f bytes each before LZ4%n",
                payloads.length, over64k, (double) raw / payloads.length);
        System.out.printf("ours    %.1f bytes per block%nlz4java %.1f bytes per block%n",
                (double) oursBytes / payloads.length, (double) theirBytes / payloads.length);
        System.out.printf("identical output: %d of %d blocks%n", identical, payloads.length);
    }
}

package io.bucketlog.bench;

import io.bucketlog.Compression;
import io.bucketlog.LogAttributes;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.internal.format.BlockBuilder;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * The bytes on disk of a store of the logging harness's events (the fields of
 * {@link SampleLogEvent}, written through a {@link Writer} as the appenders do, blocks cut by the
 * bucket writer), and what lz4-java's fast compressor, which the writer used before, makes of the
 * same blocks: each LZ4 block of every bucket is decompressed and compressed again with it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.bucketlog.bench.StoreLz4Bytes DIR [events]
 * </pre>
 */
public final class StoreLz4Bytes {
    private static final LZ4Compressor LZ4_JAVA = LZ4Factory.safeInstance().fastCompressor();
    private static final LZ4FastDecompressor LZ4_JAVA_DECOMPRESSOR = LZ4Factory.safeInstance().fastDecompressor();

    private long blocks;
    private long storedBytes;
    private long lz4JavaBytes;
    private long identical;

    private StoreLz4Bytes() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long events = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        write(dir, events);
        StoreLz4Bytes count = new StoreLz4Bytes();
        long disk = 0;
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            disk += b.length;
            if (b.length >= 4 && ByteSource.getInt(b, 0) == BucketHeader.MAGIC) {
                count.bucket(b);
            }
        }
        System.out.printf("%d events: %d bytes on disk (%.2f per event)%n", events, disk, (double) disk / events);
        System.out.printf("%d LZ4 blocks: %d bytes as stored, %d as lz4-java compresses them; %d identical%n",
                count.blocks, count.storedBytes, count.lz4JavaBytes, count.identical);
    }

    private static void write(Path dir, long events) {
        WriterOptions options = WriterOptions.builder().ringFullPolicy(RingFullPolicy.BLOCK).build();
        try (Store store = Store.open(dir); Writer w = store.writer(options)) {
            store.createStream("logs", StreamConfig.builder().bucketBytes(64 << 20).build());
            Map<String, String> attrs = new LinkedHashMap<>();
            for (long i = 0; i < events; i++) {
                String user = "user-" + (100_000 + (i % SampleLogEvent.USERS) * 7);
                attrs.put(LogAttributes.LEVEL, "INFO");
                attrs.put(LogAttributes.LOGGER, "io.bucketlog.bench.Orders");
                attrs.put(LogAttributes.THREAD, "main");
                attrs.put(LogAttributes.CONTEXT_PREFIX + "userId", user);
                String body = "order " + i + " processed for user " + user + " in " + i % 500 + " ms";
                w.append("logs", user, 1_764_000_000_000_000_000L + i * 1_000, attrs,
                        body.getBytes(StandardCharsets.UTF_8));
            }
            w.flush(Duration.ofMinutes(1));
        }
    }

    /** Counts the LZ4 blocks of one bucket file (its block frames follow the header). */
    private void bucket(byte[] b) {
        ByteSource header = new ByteSource(b);
        BucketHeader.readFrom(header);
        int at = header.position();
        while (at + Frame.HEADER_BYTES <= b.length && ByteSource.getInt(b, at) == Frame.BLOCK_MAGIC) {
            int body = at + Frame.HEADER_BYTES;
            int end = body + ByteSource.getInt(b, at + 4);
            if ((b[body] & 0x0F) == Compression.LZ4.code()) {
                int raw = ByteSource.getInt(b, body + 2);
                int payload = body + BlockBuilder.BODY_HEADER_BYTES;
                byte[] plain = new byte[raw];
                LZ4_JAVA_DECOMPRESSOR.decompress(b, payload, plain, 0, raw);
                byte[] theirs = new byte[LZ4_JAVA.maxCompressedLength(raw)];
                int n = LZ4_JAVA.compress(plain, 0, raw, theirs, 0, theirs.length);
                blocks++;
                storedBytes += end - payload;
                lz4JavaBytes += n;
                identical += Arrays.equals(b, payload, end, theirs, 0, n) ? 1 : 0;
            }
            at = end;
        }
    }
}

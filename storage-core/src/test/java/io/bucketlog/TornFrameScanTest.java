package io.bucketlog;

import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.read.BucketFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A torn last frame whose body is made of fake frame headers (an uncompressed event body can be
 * anything) is read in one pass: the scan ends in time bounded by the file's size, not its square.
 */
class TornFrameScanTest {
    private static final int FAKE_BODY = Integer.getInteger("bucketlog.tornFrameBytes", 8 << 20);

    @TempDir
    Path dir;

    @Test
    void aTornFrameFullOfFakeFrameHeadersIsScannedOnce() throws IOException {
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(64 << 20)
                    .compression(Compression.NONE).build());
            try (Writer w = store.writer(options().build())) {
                for (int i = 0; i < 100; i++) {
                    w.append("s", "k", nowNanos(), Map.of(), body(i, 100));
                }
            }
        }
        Path bucket;
        try (Stream<Path> files = Files.walk(dir.resolve("s"))) {
            bucket = files.filter(f -> f.toString().endsWith(".bkt")).findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(bucket, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long blocksEnd;
            try (io.bucketlog.spi.ReadableObject in = TestObjects.readable(bucket)) {
                blocksEnd = BucketFile.sealedBlocksEnd(in, in.size());
            }
            assertThat(blocksEnd).isPositive();
            ch.truncate(blocksEnd); // now an open bucket, as if its writer had died before sealing
            // A frame announcing more bytes than follow, whose body is fake frame headers, each
            // claiming a body that ends inside the file: every one of them looks checkable.
            ByteBuffer b = ByteBuffer.allocate(Frame.HEADER_BYTES + FAKE_BODY).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(Frame.BLOCK_MAGIC).putInt(FAKE_BODY * 2).putInt(12345);
            Random r = new Random(7);
            while (b.remaining() >= Frame.HEADER_BYTES) {
                b.putInt(Frame.BLOCK_MAGIC).putInt(b.remaining() - 2 * Frame.HEADER_BYTES)
                        .putInt(r.nextInt());
            }
            b.position(0);
            while (b.hasRemaining()) {
                ch.write(b, blocksEnd + b.position());
            }
        }
        try (Stream<Path> files = Files.list(bucket.getParent())) { // ...and before "sealed"
            for (Path idx : files.filter(f -> f.toString().endsWith(".idx")).toList()) {
                Files.delete(idx);
            }
        }
        List<Event> events = new ArrayList<>();
        List<CorruptionReport> damage = new ArrayList<>();
        // Checking each fake header on its own took minutes at this size; one pass takes well
        // under a second. The bound only keeps a regression from hanging the build.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Store store = Store.open(dir); EventScan scan = store.scan(ScanRequest.all("s"))) {
                scan.forEachRemaining(events::add);
                damage.addAll(scan.corruptions());
            }
        });
        assertThat(events).hasSize(100);
        assertThat(damage).as("a torn tail is not damage").isEmpty();
    }
}

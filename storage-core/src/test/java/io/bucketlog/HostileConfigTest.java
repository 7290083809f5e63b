package io.bucketlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.format.BucketTrailer;
import io.bucketlog.internal.format.ByteSink;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream's {@code stream.conf} and a root's {@code store.properties} are read with their size
 * checked first: a huge file or a link to an endless device is a clear error, in a 256 MiB heap;
 * so is a length read from a bucket's trailer.
 */
class HostileConfigTest {
    private static final long HUGE = 200L << 20;

    @TempDir
    Path dir;
    /** The child's standard error, outside the store it reads. */
    @TempDir
    Path logs;

    private Path conf() {
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(1 << 20).build());
        }
        return dir.resolve("s").resolve("stream.conf");
    }

    /** Runs {@link HostileConfigChild} at -Xmx256m; returns its output, checking it exited 0. */
    private List<String> child() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path err = logs.resolve("child.err");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), HostileConfigChild.class.getName(),
                dir.toString())
                .redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(p.exitValue()).as("child exit; stderr: " + Files.readString(err)).isZero();
        return out.lines().toList();
    }

    private static void assertEveryAccessFailsNaming(List<String> lines, Path file, String why) {
        assertThat(lines).filteredOn(l -> l.startsWith("ERR find") || l.startsWith("ERR scan")
                || l.startsWith("ERR create") || l.startsWith("ERR write")).hasSize(4)
                .allSatisfy(l -> assertThat(l).contains(file.toString()).contains(why));
    }

    @Test
    void aHugeOneLineStreamConfIsAClearErrorNotAnOutOfMemoryError() throws Exception {
        Path conf = conf();
        try (RandomAccessFile f = new RandomAccessFile(conf.toFile(), "rw")) {
            f.setLength(HUGE); // sparse: one line of NULs, no disk used
        }
        assertEveryAccessFailsNaming(child(), conf, "more than");
    }

    @Test
    void aStreamConfLinkedToDevZeroIsAClearErrorNotAnOutOfMemoryError() throws Exception {
        Path conf = conf();
        Files.delete(conf);
        Files.createSymbolicLink(conf, Path.of("/dev/zero"));
        assertEveryAccessFailsNaming(child(), conf, "symbolic link");
    }

    @Test
    void aTrailerClaimingAHugeFooterIsNotAllocated() throws Exception {
        conf();
        try (Store store = Store.open(dir); Writer w = store.writer(Fixtures.options().build())) {
            w.append("s", "k", Fixtures.nowNanos(), Map.of(), new byte[8]);
            Fixtures.flush(w);
        }
        Path real;
        try (Stream<Path> files = Files.walk(dir.resolve("s"))) {
            real = files.filter(p -> p.toString().endsWith(".bkt")).findFirst().orElseThrow();
        }
        StoreLayout.BucketName name = StoreLayout.parseBucketName(real.getFileName().toString());
        Path junk = real.resolveSibling(StoreLayout.bucketFileName(name.windowStart(), "zzzz", 0));
        long size = 600L << 20; // more than the child's heap
        ByteSink trailer = new ByteSink(BucketTrailer.BYTES);
        new BucketTrailer(16, (int) (size - 16 - BucketTrailer.BYTES), 0, 0).writeTo(trailer);
        try (RandomAccessFile f = new RandomAccessFile(junk.toFile(), "rw")) {
            f.setLength(size); // sparse
            f.seek(size - BucketTrailer.BYTES);
            f.write(trailer.toByteArray());
        }
        assertThat(child()).contains("OK scan").contains("OK find");
    }

    @Test
    void aStoreFileLinkedToDevZeroIsRefusedAtOpen() throws Exception {
        conf();
        Path store = dir.resolve("store.properties");
        Files.delete(store);
        Files.createSymbolicLink(store, Path.of("/dev/zero"));
        assertThat(child()).singleElement().satisfies(l -> assertThat(l).startsWith("ERR open")
                .contains(store.toString()).contains("symbolic link"));
    }
}

package io.bucketlog.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Compression;
import io.bucketlog.JavaChild;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a platform where zstd-jni's native library does not load (a JVM of its own with zstd-jni's
 * classes but none of its libraries), and without zstd-jni at all: an appender's stream is
 * configured for zstd as on any other host (so hosts sharing a store do not rewrite its
 * configuration back and forth), its buckets are written in LZ4, which is reported once and
 * loses nothing, an LZ4 stream is written and read as usual, and a zstd bucket written elsewhere
 * fails to read naming why, not as damage (which would have a brigade move a healthy file aside).
 */
class ZstdUnavailableTest {
    @TempDir
    Path dir;

    @Test
    void withoutTheNativeLibraryZstdStreamsGetLz4BucketsAndZstdBucketsFailToReadNamingWhy()
            throws Exception {
        checkWithout("zstd-jni's native library did not load", true);
    }

    @Test
    void withoutTheZstdJarTheStoreWorksTheSameAndSaysTheJarIsMissing() throws Exception {
        checkWithout("zstd-jni is missing from the class path", false);
    }

    /** Runs the child with zstd-jni's classes only, or without zstd-jni at all. */
    private void checkWithout(String reason, boolean keepClasses) throws Exception {
        long ts = System.currentTimeMillis() * 1_000_000L;
        Path store = dir.resolve("store");
        try (Store s = Store.open(store)) {
            s.createStream("z", StreamConfig.builder().bucketBytes(1 << 20)
                    .compression(Compression.ZSTD).build());
            try (Writer w = s.writer(WriterOptions.builder().closeOnJvmShutdown(false).build())) {
                for (int i = 0; i < 100; i++) {
                    w.append("z", "k" + i % 3, ts + i, Map.of(), ("event " + i).getBytes());
                }
            }
        }
        JavaChild.Finished child = JavaChild.run(List.of("-XX:TieredStopAtLevel=1"),
                classPathWithoutZstd(keepClasses), ZstdUnavailableChild.class,
                List.of(store.toString()), dir.resolve("child.out"), Duration.ofSeconds(60));
        String output = child.output();
        assertThat(child.exitCode()).as(output).isZero();
        assertThat(output)
                .contains("REASON " + reason)
                .contains("DEFAULT ZSTD")
                .contains("ZSTD-CONFIGURED STREAM 40 events, ZSTD")
                .containsOnlyOnce("REPORTED stream 'logs' is configured for zstd, which cannot run"
                        + " here (" + reason)
                .contains("this writer's new buckets are LZ4-compressed, and nothing is lost")
                // merged, read back here without zstd, and said once
                .contains("BRIGADE 1 merges, then 0; 40 events")
                .containsOnlyOnce("BRIGADE SAID stream 'logs' is configured for zstd, which cannot"
                        + " run here (" + reason)
                .contains("this brigade's merged buckets are LZ4-compressed, and nothing is lost")
                .contains("LZ4 STREAM 50 events, LZ4")
                .contains("ZSTD STREAM java.lang.IllegalStateException: zstd-compressed blocks"
                        + " cannot be read or written: " + reason);
    }

    /**
     * This JVM's class path with the zstd-jni jar replaced by a copy of its classes only, or left
     * out.
     */
    private String classPathWithoutZstd(boolean keepClasses) throws IOException {
        List<String> entries = new ArrayList<>();
        int replaced = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Path.of(e).getFileName().toString().startsWith("zstd-jni-")) {
                entries.add(e);
                continue;
            }
            replaced++;
            if (keepClasses) {
                Path classesOnly = dir.resolve("zstd-jni-classes-only.jar");
                try (ZipInputStream in = new ZipInputStream(Files.newInputStream(Path.of(e)));
                     ZipOutputStream out =
                             new ZipOutputStream(Files.newOutputStream(classesOnly))) {
                    copyClasses(in, out);
                }
                entries.add(classesOnly.toString());
            }
        }
        assertThat(replaced).as("zstd-jni jars on the class path").isEqualTo(1);
        return String.join(File.pathSeparator, entries);
    }

    private static void copyClasses(ZipInputStream in, ZipOutputStream out) throws IOException {
        for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
            String name = e.getName();
            if (name.endsWith(".so") || name.endsWith(".dll") || name.endsWith(".dylib")) {
                continue;
            }
            out.putNextEntry(new ZipEntry(name));
            in.transferTo(out);
            out.closeEntry();
        }
    }
}

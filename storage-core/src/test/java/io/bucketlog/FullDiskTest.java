package io.bucketlog;

import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a 2 MiB tmpfs. Needs permission to mount (root, or CAP_SYS_ADMIN); where
 * mounting is refused the test is aborted with the reason rather than faked.
 */
class FullDiskTest {
    @TempDir
    Path tmp;
    private Path disk;
    private boolean mounted;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = tmp.resolve("disk");
        Files.createDirectories(disk);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(ok, "cannot mount a tmpfs here (" + out.trim() + "); full-disk test not run");
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void fullDiskIsReportedCountedAndSurvived() throws IOException {
        Path filler = disk.resolve("filler");
        Files.write(filler, new byte[1536 * 1024]); // leaves about 512 KiB for the store
        List<String> errors = new CopyOnWriteArrayList<>();
        Set<Long> safe = new HashSet<>(); // flushed before the first failure
        try (Store store = Store.open(disk.resolve("store"))) {
            store.createStream("s", StreamConfig.builder().bucketBytes(64 * 1024).blockBytes(8 * 1024).build());
            try (Writer w = store.writer(options().errorListener((m, c) -> errors.add(m + ": " + c)).build())) {
                List<Long> pending = new ArrayList<>();
                int n = 0;
                for (; n < 2000 && w.stats().failed() == 0; n++) {
                    w.append("s", "k" + n % 3, nowNanos(), Map.of(), body(n, 1000));
                    pending.add((long) n);
                    if (n % 20 == 19) {
                        flush(w);
                        if (w.stats().failed() == 0) {
                            safe.addAll(pending);
                            pending.clear();
                        }
                    }
                }
                flush(w);
                WriterStats full = w.stats();
                assertThat(full.failed()).as("the disk filled").isPositive();
                assertThat(errors).isNotEmpty().anyMatch(m -> m.contains("No space left") || m.contains("lost"));
                assertThat(safe).hasSizeGreaterThan(100);
                assertReadable(store, safe, w.stats().written());

                Files.delete(filler); // free the space: writing resumes
                for (int i = 0; i < 200; i++) {
                    w.append("s", "k", nowNanos(), Map.of(), body(10_000 + i, 1000));
                }
                flush(w);
                WriterStats after = w.stats();
                assertThat(after.failed()).isEqualTo(full.failed());
                assertThat(after.written()).isEqualTo(full.written() + 200);
                Set<Long> resumed = new HashSet<>(safe);
                for (long i = 0; i < 200; i++) {
                    resumed.add(10_000 + i);
                }
                assertReadable(store, resumed, after.written());
            }
        }
    }

    /** Every event of {@code expected} is there, intact and once; in all, {@code written} events. */
    private static void assertReadable(Store store, Set<Long> expected, long written) {
        List<Event> all = new ArrayList<>();
        try (EventScan s = store.scan(ScanRequest.all("s"))) {
            s.forEachRemaining(all::add);
            assertThat(s.corruptions()).isEmpty();
        }
        assertThat(all).allMatch(Fixtures::intact);
        Set<Long> numbers = new HashSet<>();
        for (Event e : all) {
            assertThat(numbers.add(Fixtures.numberOf(e))).as("once: " + Fixtures.numberOf(e)).isTrue();
        }
        assertThat(numbers).containsAll(expected);
        assertThat((long) all.size()).isEqualTo(written);
    }
}

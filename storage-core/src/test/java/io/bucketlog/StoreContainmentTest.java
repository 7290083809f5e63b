package io.bucketlog;

import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bucketlog.internal.store.StoreLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store stays inside its roots: symbolic links planted at the stream, window and file levels
 * are neither followed by writers nor by readers, and special files named like store files are
 * never opened. The root itself may be a link.
 */
class StoreContainmentTest {
    private static final ScanRequest ALL = ScanRequest.all("s");

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;

    private Path setUp() throws IOException {
        root = Files.createDirectory(tmp.resolve("store"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        try (Store store = Store.open(root)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(1 << 20).build());
        }
        return root;
    }

    /** Writes {@code n} events now, returning the errors the writer reported. */
    private List<String> write(Path storeRoot, int n) {
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Store store = Store.open(storeRoot);
             Writer w = store.writer(options().errorListener((m, e) -> errors.add(m + ": " + e))
                     .build())) {
            for (int i = 0; i < n; i++) {
                w.append("s", "k", nowNanos(), Map.of(), body(i, 20));
            }
            flush(w);
        }
        return errors;
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private record Read(List<Event> events, List<CorruptionReport> damage) {
    }

    private static Read read(Path storeRoot) {
        try (Store store = Store.open(storeRoot); EventScan scan = store.scan(ALL)) {
            List<Event> events = new ArrayList<>();
            scan.forEachRemaining(events::add);
            return new Read(events, scan.corruptions());
        }
    }

    private Path windowDir() {
        return root.resolve(StoreLayout.windowPrefix("s",
                Math.floorDiv(nowNanos(), Fixtures.HOUR * 24) * Fixtures.HOUR * 24));
    }

    @Test
    void aStreamDirectoryReplacedByALinkIsNotFollowedByWritersOrReaders() throws IOException {
        setUp();
        Path stream = root.resolve("s");
        Files.move(stream.resolve("stream.conf"), outside.resolve("stream.conf"));
        Files.delete(stream);
        Files.createSymbolicLink(stream, outside);

        List<String> errors = write(root, 10);
        assertThat(filesUnder(outside)).containsExactly(outside.resolve("stream.conf"));
        assertThat(String.join("\n", errors)).contains(stream.toString()).contains("symbolic link");
        try (Store store = Store.open(root)) {
            assertThatThrownBy(() -> store.streamConfig("s"))
                    .hasMessageContaining(stream.toString()).hasMessageContaining("symbolic link");
        }
    }

    @Test
    void aWindowDirectoryReplacedByALinkIsNotFollowedByWritersOrReaders() throws IOException {
        setUp();
        write(root, 5);
        Path window = windowDir();
        // The same files, now outside, and a link to them in the window's place.
        for (Path f : filesUnder(window)) {
            Files.move(f, outside.resolve(f.getFileName()));
        }
        Files.delete(window);
        Files.createSymbolicLink(window, outside);
        List<Path> before = filesUnder(outside);

        List<String> errors = write(root, 5);
        assertThat(filesUnder(outside)).containsExactlyInAnyOrderElementsOf(before);
        assertThat(String.join("\n", errors)).contains(window.toString()).contains("symbolic link");

        Read r = read(root);
        assertThat(r.events()).isEmpty();
        assertThat(r.damage()).anySatisfy(d -> {
            assertThat(d.location()).isEqualTo(window.toString());
            assertThat(d.problem()).contains("symbolic link");
        });
    }

    @Test
    void aBucketOrIndexFileThatIsALinkIsNotRead() throws IOException {
        setUp();
        write(root, 5);
        Path window = windowDir();
        for (Path f : filesUnder(window)) {
            Path moved = Files.move(f, outside.resolve(f.getFileName()));
            Files.createSymbolicLink(f, moved);
        }
        Read r = read(root);
        assertThat(r.events()).isEmpty();
        assertThat(r.damage()).hasSize(2).allSatisfy(d -> {
            assertThat(Path.of(d.location()).getParent()).isEqualTo(window);
            assertThat(d.problem()).contains("symbolic link");
        });
    }

    @Test
    void theRootItselfMayBeALink() throws IOException {
        setUp();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), root);
        assertThat(write(link, 7)).isEmpty();
        Read r = read(link);
        assertThat(r.events()).hasSize(7);
        assertThat(r.damage()).isEmpty();
    }

    @Test
    void fifosNamedLikeABucketAndAnIndexAreReportedNotOpened() throws Exception {
        setUp();
        write(root, 3);
        Path window = windowDir();
        mkfifo(window.resolve(StoreLayout.bucketFileName(
                Math.floorDiv(nowNanos(), Fixtures.HOUR) * Fixtures.HOUR, "fifo", 0)));
        mkfifo(window.resolve("index-fifo.idx"));
        Read r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> read(root));
        assertThat(r.events()).hasSize(3);
        assertThat(r.damage()).hasSize(2).allSatisfy(
                d -> assertThat(d.problem()).contains("not a regular file"));
    }

    @Test
    void directoriesNamedLikeABucketAndAnIndexAreReportedNotSkipped() throws Exception {
        setUp();
        write(root, 3);
        Path window = windowDir();
        Path bucket = Files.createDirectory(window.resolve(StoreLayout.bucketFileName(
                Math.floorDiv(nowNanos(), Fixtures.HOUR) * Fixtures.HOUR, "dir", 0)));
        Path index = Files.createDirectory(window.resolve("index-dir.idx"));
        Read r = read(root);
        assertThat(r.events()).hasSize(3);
        assertThat(r.damage()).extracting(CorruptionReport::location)
                .containsExactlyInAnyOrder(bucket.toString(), index.toString());
        assertThat(r.damage()).allSatisfy(d -> assertThat(d.problem()).contains("not a regular file"));
    }

    static void mkfifo(Path p) throws IOException, InterruptedException {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
    }
}

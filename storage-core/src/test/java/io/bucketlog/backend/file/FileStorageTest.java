package io.bucketlog.backend.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.ObjectExistsException;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String readAll(ReadableObject r) throws IOException {
        byte[] b = new byte[(int) r.size()];
        int n = r.read(0, b, 0, b.length);
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    @Test
    void namesMapToFilesBelowTheRootAndListingShowsObjectsAndPrefixes() throws IOException {
        FileStorage s = new FileStorage(dir);
        try (AppendableObject o = s.create("app/20261201T000000Z/index-w1.idx")) {
            o.append(bytes("xhello"), 1, 5);
            assertThat(o.size()).isEqualTo(5);
        }
        assertThat(s.putIfAbsent("app/stream.conf", bytes("a=1"))).isTrue();
        assertThat(Files.readString(dir.resolve("app/20261201T000000Z/index-w1.idx")))
                .isEqualTo("hello");
        assertThat(s.list("")).containsExactly("app/");
        assertThat(s.list("app/")).containsExactlyInAnyOrder("stream.conf", "20261201T000000Z/");
        assertThat(s.list("app/20261201T000000Z/")).containsExactly("index-w1.idx");
        assertThat(s.list("nothing/here/")).isEmpty();
        assertThat(s.locationOf("app/stream.conf")).isEqualTo(dir.toAbsolutePath()
                .resolve("app/stream.conf").toString());
        assertThat(s.location()).isEqualTo(dir.toAbsolutePath().normalize().toString());
    }

    @Test
    void namesThatCouldLeaveTheRootAreRefused() {
        FileStorage s = new FileStorage(dir);
        for (String bad : List.of("../x", "a/../../x", "/etc/passwd", "a//b", ".hidden", "a/", "")) {
            assertThatThrownBy(() -> s.openRead(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aReaderSeesTheObjectGrowAndItsVersionChangeWithEachAppend() throws IOException {
        FileStorage s = new FileStorage(dir);
        try (AppendableObject o = s.create("a/b/c.bkt")) {
            o.append(bytes("one"), 0, 3);
            try (ReadableObject r = s.openRead("a/b/c.bkt")) {
                ObjectVersion first = r.version();
                assertThat(readAll(r)).isEqualTo("one");
                o.append(bytes("two"), 0, 3);
                assertThat(r.size()).isEqualTo(6);
                assertThat(readAll(r)).isEqualTo("onetwo");
                ObjectVersion second = r.version();
                assertThat(second).isNotEqualTo(first);
                assertThat(second.size()).isEqualTo(6);
                assertThat(s.stat("a/b/c.bkt")).contains(second);
                byte[] tail = new byte[10];
                assertThat(r.read(4, tail, 0, 10)).isEqualTo(2);
                assertThat(r.read(6, tail, 0, 10)).isZero();
            }
        }
    }

    @Test
    void missingObjectsAreNoSuchObjectAndCreateNeverReplaces() throws IOException {
        FileStorage s = new FileStorage(dir);
        assertThat(s.stat("a/b/c.bkt")).isEmpty();
        assertThatThrownBy(() -> s.openRead("a/b/c.bkt")).isInstanceOf(NoSuchObjectException.class)
                .hasMessageContaining(dir.resolve("a/b/c.bkt").toString());
        assertThatThrownBy(() -> s.reopen("a/b/c.bkt", 0)).isInstanceOf(NoSuchObjectException.class);
        assertThat(s.delete("a/b/c.bkt")).isFalse();
        s.create("a/b/c.bkt").close();
        assertThatThrownBy(() -> s.create("a/b/c.bkt")).isInstanceOf(ObjectExistsException.class);
        assertThat(s.putIfAbsent("a/b/c.bkt", bytes("other"))).isFalse();
        assertThat(Files.size(dir.resolve("a/b/c.bkt"))).isZero();
        assertThat(s.delete("a/b/c.bkt")).isTrue();
        assertThat(s.delete("a/b/c.bkt")).isFalse();
    }

    @Test
    void reopenContinuesAtTheExpectedSizeAndRefusesAnotherSize() throws IOException {
        FileStorage s = new FileStorage(dir);
        try (AppendableObject o = s.create("a/b/late.bkt")) {
            o.append(bytes("abc"), 0, 3);
            o.sync();
        }
        try (AppendableObject o = s.reopen("a/b/late.bkt", 3)) {
            o.append(bytes("def"), 0, 3);
            o.sync();
        }
        assertThat(Files.readString(dir.resolve("a/b/late.bkt"))).isEqualTo("abcdef");
        Files.writeString(dir.resolve("a/b/late.bkt"), "x", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> s.reopen("a/b/late.bkt", 6)).hasMessageContaining("7 bytes")
                .hasMessageContaining("not the 6");
    }

    @Test
    void linksBelowTheRootAreListedButNeverFollowed() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("app/w"));
        Files.createSymbolicLink(root.resolve("app/w/x.bkt"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("linked"), outside);
        FileStorage s = new FileStorage(root);
        assertThat(s.list("app/w/")).containsExactly("x.bkt");
        assertThatThrownBy(() -> s.openRead("app/w/x.bkt")).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> s.stat("app/w/x.bkt")).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> s.statListed("app/w/x.bkt")).hasMessageContaining("symbolic link");
        assertThat(s.list("")).contains("linked/");
        assertThatThrownBy(() -> s.list("linked/")).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> s.create("linked/w/y.bkt")).hasMessageContaining("symbolic link");
        assertThat(Files.exists(outside.resolve("w"))).isFalse();
        assertThat(s.delete("app/w/x.bkt")).isTrue();
        assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("secret");
    }

    @Test
    void ofThreadsRacingToPutOneNameExactlyOneWinsAndReadersSeeOnlyTheWinnersWholeContent()
            throws Exception {
        FileStorage s = new FileStorage(dir);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 20; round++) {
                String name = "app/w/commit-" + round + ".idx";
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    byte[] content = bytes(("writer-" + t + ";").repeat(1000));
                    results.add(pool.submit(() -> {
                        start.await();
                        return s.putIfAbsent(name, content);
                    }));
                }
                start.countDown();
                int wins = 0;
                for (Future<Boolean> f : results) {
                    wins += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(wins).isEqualTo(1);
                String text = Files.readString(dir.resolve(name));
                assertThat(text).isEqualTo(text.substring(0, text.indexOf(';') + 1).repeat(1000));
            }
        } finally {
            pool.shutdownNow();
        }
        try (var entries = Files.list(dir.resolve("app/w"))) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .allMatch(n -> n.startsWith("commit-")); // no temporary file left
        }
    }

    @Test
    void storeAndStreamFilesFollowTheUmaskLikeBuckets() throws Exception {
        Path store = dir.resolve("store");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("sh", "-c", "umask 022 && exec \"$0\" -cp \"$1\" \"$2\" \"$3\"",
                java, System.getProperty("java.class.path"), UmaskChild.class.getName(),
                store.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Set<PosixFilePermission> readable = Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ);
        assertThat(Files.getPosixFilePermissions(store.resolve("store.properties")))
                .isEqualTo(readable);
        assertThat(Files.getPosixFilePermissions(store.resolve("app/stream.conf")))
                .isEqualTo(readable);
    }
}

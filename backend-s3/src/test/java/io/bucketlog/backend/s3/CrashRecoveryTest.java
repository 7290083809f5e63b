package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writer processes killed with SIGKILL while their publisher uploads: what they spooled is
 * uploaded by the next storage opened on this host (or an explicit recover), each byte exactly
 * once, and nothing already published is uploaded again.
 */
class CrashRecoveryTest {
    private static final String PREFIX = "crash";
    private static final S3Location LOCATION = new S3Location(S3ProxyServer.BUCKET, PREFIX);

    @TempDir
    Path dir;
    private S3ProxyServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = S3ProxyServer.start(dir.resolve("server"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private Path spool() {
        return dir.resolve("spool");
    }

    private S3Storage open() throws IOException {
        return S3Storage.open(LOCATION, server.options(spool()).build());
    }

    @Test
    void aKilledWritersSpoolIsUploadedByTheNextOpenOnItsHostExactlyOnce() throws Exception {
        Killed killed = runAndKill("s/w/killed.bkt");
        Map<String, Long> partsBefore = parts("s/w/killed.bkt");
        assertThat(partsBefore).as("it had published parts").isNotEmpty();
        // it appends every millisecond and publishes every 300: killed with bytes not yet
        // published, but for the rare kill right after a publish
        long unpublished = killed.spooled.length - sum(partsBefore);
        assertThat(unpublished).isNotNegative();

        try (S3Storage storage = open()) {
            awaitSize(storage, "s/w/killed.bkt", killed.spooled.length);
            assertThat(read(storage, "s/w/killed.bkt")).isEqualTo(killed.spooled);
            Map<String, Long> partsAfter = parts("s/w/killed.bkt");
            assertThat(partsAfter).containsAllEntriesOf(partsBefore);
            assertThat(sum(partsAfter)).as("no byte uploaded twice").isEqualTo(killed.spooled.length);
            assertThat(storage.partsUploaded()).as("the rest, as one part").isEqualTo(unpublished > 0 ? 1 : 0);
            awaitDeadSpoolGone(killed.spoolDir);
        }
    }

    @Test
    void aRecordBehindTheStoreCausesNoDuplicate() throws Exception {
        try (S3Storage storage = open()) {
            Killed killed = runAndKill("s/w/behind.bkt");
            Map<String, Long> partsBefore = parts("s/w/behind.bkt");
            assertThat(partsBefore).isNotEmpty();
            // as if it was killed after its uploads and before it recorded any of them
            Path state = only(killed.spoolDir, ".state");
            Files.writeString(state, Files.readString(state).replaceAll("published=\\d+", "published=0"));

            S3Storage.Recovery r = storage.recover();

            assertThat(r.writers()).isEqualTo(1);
            assertThat(r.objects()).isEqualTo(1);
            assertThat(r.failed()).isZero();
            long unpublished = killed.spooled.length - sum(partsBefore);
            assertThat(r.bytes()).as("only what was not published").isEqualTo(unpublished);
            assertThat(read(storage, "s/w/behind.bkt")).isEqualTo(killed.spooled);
            assertThat(sum(parts("s/w/behind.bkt"))).isEqualTo(killed.spooled.length);
            assertThat(parts("s/w/behind.bkt")).containsAllEntriesOf(partsBefore)
                    .hasSize(partsBefore.size() + (unpublished > 0 ? 1 : 0));
            assertThat(killed.spoolDir).doesNotExist();
            assertThat(storage.recover()).as("nothing left").isEqualTo(new S3Storage.Recovery(0, 0, 0, 0));
        }
    }

    @Test
    void anUnreadableRecordIsReportedAndItsSpoolLeftAsItIs() throws Exception {
        List<IOException> reported = new CopyOnWriteArrayList<>();
        try (S3Storage storage = S3Storage.open(LOCATION, server.options(spool()).errorListener(reported::add).build())) {
            Killed killed = runAndKill("s/w/garbled.bkt");
            Path state = only(killed.spoolDir, ".state");
            Files.writeString(state, "published=many\n");

            S3Storage.Recovery r = storage.recover();

            assertThat(r).isEqualTo(new S3Storage.Recovery(0, 0, 0, 1));
            assertThat(reported).anySatisfy(e -> assertThat(e).hasMessageContaining(state.toString())
                    .hasMessageContaining("unreadable spool record"));
            assertThat(Files.readAllBytes(only(killed.spoolDir, ".data"))).as("nothing lost").isEqualTo(killed.spooled);
        }
    }

    /** What a killed writer left: its spool directory and the bytes of its one object there. */
    private record Killed(Path spoolDir, byte[] spooled, long reported) {
    }

    private Killed runAndKill(String name) throws Exception {
        String location = "s3://" + S3ProxyServer.BUCKET + "/" + PREFIX + "?endpoint=" + server.endpoint()
                + "&region=us-east-1&path-style=true&publish-interval-ms=300&spool=" + spool();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Daws.accessKeyId=" + S3ProxyServer.ACCESS_KEY, "-Daws.secretAccessKey=" + S3ProxyServer.SECRET,
                "-cp", System.getProperty("java.class.path"), S3WriterChild.class.getName(), location, name)
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        AtomicLong reported = new AtomicLong();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("A ")) {
                        reported.set(Long.parseLong(line.substring(2)));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // cut by the kill
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // killed once it has published a few parts, while it appends and its publisher uploads
        while (parts(name).size() < 3) {
            assertThat(p.isAlive()).as(Files.readString(dir.resolve("child.err"))).isTrue();
            assertThat(System.nanoTime()).as("the child published").isLessThan(deadline);
            Thread.sleep(20);
        }
        p.destroyForcibly(); // SIGKILL
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        Path data = onlyUnder(spool(), ".data");
        byte[] spooled = Files.readAllBytes(data);
        assertThat((long) spooled.length).as("everything it reported appended is spooled")
                .isGreaterThanOrEqualTo(reported.get());
        return new Killed(data.getParent(), spooled, reported.get());
    }

    private static Path only(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> p.toString().endsWith(suffix)).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    private static Path onlyUnder(Path root, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> found = s.filter(p -> p.toString().endsWith(suffix)).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    private Map<String, Long> parts(String name) {
        return StoredBytes.parts(server, LOCATION, name);
    }

    private static long sum(Map<String, Long> parts) {
        return StoredBytes.sum(parts);
    }

    private static void awaitSize(S3Storage storage, String name, long size) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (storage.stat(name).map(v -> v.size()).orElse(-1L) != size) {
            assertThat(System.nanoTime()).as(name + " recovered to " + size + " bytes").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitDeadSpoolGone(Path spoolDir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.exists(spoolDir)) {
            assertThat(System.nanoTime()).as("the dead writer's spool is removed").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static byte[] read(S3Storage storage, String name) throws IOException {
        return StoredBytes.read(storage, name);
    }
}

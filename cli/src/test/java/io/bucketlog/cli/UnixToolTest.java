package io.bucketlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command in child processes, as a shell runs it: pipes that close, stores that come later. */
class UnixToolTest {
    /** Generous: only a process that never ends exceeds it. */
    private static final long EXIT_LIMIT_SECONDS = 60;

    @TempDir
    Path dir;

    static ProcessBuilder bucketlog(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), BucketlogCli.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** Lines of a stream, read on their own thread. */
    static BlockingQueue<String> pump(InputStream in) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // closed by the test
            }
        });
        t.setDaemon(true);
        t.start();
        return lines;
    }

    private static Writer writer(Store s) {
        return s.writer(WriterOptions.builder().ringFullPolicy(RingFullPolicy.BLOCK).closeOnJvmShutdown(false).build());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void queryIntoAPipeThatClosesAfterOneLineEndsQuietlyWithStatus0() throws Exception {
        try (Store s = Store.open(dir); Writer w = writer(s)) {
            s.createStream("big", StreamConfig.builder().bucketBytes(8 << 20).build());
            long ts = System.currentTimeMillis() * 1_000_000L - 3_600_000_000_000L;
            for (int i = 0; i < 200_000; i++) {
                w.append("big", "k" + (i % 100), ts + i, Map.of("n", Integer.toString(i)), bytes("event " + i));
            }
            w.flush(Duration.ofSeconds(60));
        }
        Process p = bucketlog("query", dir.toString(), "--stream", "big", "-o", "json").start();
        BlockingQueue<String> err = pump(p.getErrorStream());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).contains("\"body\":\"event 0\"");
        } // like head -1: read one line, close the pipe
        assertThat(p.waitFor(EXIT_LIMIT_SECONDS, TimeUnit.SECONDS)).as("query exited").isTrue();
        assertThat(p.exitValue()).isZero();
        Thread.sleep(100); // let the pump see the end of stderr
        assertThat(err).isEmpty();
    }

    @Test
    void tailFollowIntoAPipeThatClosesEndsQuietlyWithStatus0() throws Exception {
        try (Store s = Store.open(dir)) {
            s.createStream("live", StreamConfig.builder().bucketBytes(1 << 20).build());
        }
        Process p = bucketlog("tail", dir.toString(), "--stream", "live", "-f", "-n", "0").start();
        BlockingQueue<String> err = pump(p.getErrorStream());
        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            try (Store s = Store.open(dir); Writer w = writer(s)) {
                for (int i = 0; !stop.get(); i++) {
                    w.append("live", "k", System.currentTimeMillis() * 1_000_000L, Map.of(), bytes("tick " + i));
                    w.flush(Duration.ofSeconds(5));
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        try {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).contains("tick ");
                assertThat(out.readLine()).contains("tick ");
            } // like head -2
            assertThat(p.waitFor(EXIT_LIMIT_SECONDS, TimeUnit.SECONDS)).as("tail -f exited").isTrue();
            assertThat(p.exitValue()).isZero();
            Thread.sleep(100);
            assertThat(err).isEmpty();
        } finally {
            stop.set(true);
            producer.join(20_000);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void tailFollowWaitsForAStoreAndStreamThatDoNotExistYet() throws Exception {
        Path later = dir.resolve("not-yet");
        Process p = bucketlog("tail", later.toString(), "--stream", "later", "-f", "-o", "raw").start();
        BlockingQueue<String> out = pump(p.getInputStream());
        BlockingQueue<String> err = pump(p.getErrorStream());
        try {
            String waiting = err.poll(EXIT_LIMIT_SECONDS, TimeUnit.SECONDS);
            assertThat(waiting).isEqualTo("bucketlog: waiting for stream 'later' in " + later + " to be created");
            assertThat(p.isAlive()).isTrue();
            try (Store s = Store.open(later); Writer w = writer(s)) {
                Thread.sleep(300); // a store without the stream yet: still waiting
                assertThat(p.isAlive()).isTrue();
                s.createStream("later", StreamConfig.builder().bucketBytes(1 << 20).build());
                // Events written before the tail started may predate it: write until one shows.
                String got = null;
                for (int i = 0; got == null && i < 300; i++) {
                    w.append("later", "k", System.currentTimeMillis() * 1_000_000L, Map.of(), bytes("arrived " + i));
                    w.flush(Duration.ofSeconds(5));
                    got = out.poll(100, TimeUnit.MILLISECONDS);
                }
                assertThat(got).startsWith("arrived ");
            }
            assertThat(err).isEmpty(); // said once
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStoreThatCannotBeReadForWantOfPermissionIsExitStatus1NotAUsageError() throws Exception {
        Path storeDir = dir.resolve("locked");
        try (Store s = Store.open(storeDir)) {
            s.createStream("app", StreamConfig.builder().bucketBytes(1 << 20).build());
        }
        // The store exists (its marker file can be seen) but cannot be read.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(storeDir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(storeDir.resolve("store.properties"), PosixFilePermissions.fromString("---------"));
        ProcessBuilder pb = asUnprivilegedUser("stats", storeDir.toString());
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(EXIT_LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(1);
        assertThat(err).startsWith("bucketlog: cannot open store directory " + storeDir)
                .contains("AccessDenied").doesNotContain("\tat ");
    }

    /**
     * The command as a user that file permissions apply to. Root reads every file, so as root the
     * command runs as {@code nobody} (setpriv), from a copy of the class path that user can read.
     */
    private ProcessBuilder asUnprivilegedUser(String... args) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return bucketlog(args);
        }
        Path copy = Files.createDirectory(dir.resolve("class-path")); // dir is searchable by all
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = copy.resolve(n++ + "-" + from.getFileName());
            StoreCopies.copy(from, to);
            entries.add(to.toString());
        }
        try (Stream<Path> files = Files.walk(copy)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(
                        Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", ProcessHandle.current().info().command().orElse("java"), "-cp",
                String.join(java.io.File.pathSeparator, entries), BucketlogCli.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(copy.toFile());
    }

    @Test
    void theCompletionScriptLoadsIntoBashAndCompletesCommands() throws Exception {
        Path script = dir.resolve("bucketlog.bash");
        Process gen = bucketlog("completion").redirectOutput(script.toFile()).start();
        assertThat(gen.waitFor(EXIT_LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(gen.exitValue()).isZero();
        assertThat(Files.readString(script)).contains("query").contains("tail").contains("keys").contains("fields");
        // Ask bash itself: load the script, then complete "bucketlog ta".
        String probe = "source " + script + " && COMP_WORDS=(bucketlog ta) && COMP_CWORD=1"
                + " && COMP_LINE='bucketlog ta' && COMP_POINT=${#COMP_LINE}"
                + " && $(complete -p bucketlog | sed -E 's/.*-F ([^ ]+).*/\\1/') && printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(EXIT_LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();
        assertThat(out.lines().toList()).contains("tail");
    }
}

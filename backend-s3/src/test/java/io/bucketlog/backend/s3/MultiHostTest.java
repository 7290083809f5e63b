package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.TailIterator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three hosts (child JVMs, each its own spool) append to one stream on S3 while one of them is
 * killed with SIGKILL and restarted on its spool, and the object store is stopped and started
 * again; a reader on a fourth "host" (this JVM, its own spool) tails and queries. Every
 * acknowledged event arrives exactly once, in the query and in the tail; nothing appears twice.
 * The run lasts {@code bucketlog.s3.hostsSeconds} seconds (default 12).
 */
class MultiHostTest {
    private static final long RUN_SECONDS = Long.getLong("bucketlog.s3.hostsSeconds", 12);

    @TempDir
    Path dir;
    private S3ProxyServer server;
    private final List<Host> hosts = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = S3ProxyServer.start(dir.resolve("server"));
        S3Hosts.useTestCredentials();
    }

    @AfterEach
    void stop() {
        for (Host h : hosts) {
            h.process.destroyForcibly();
        }
        server.close();
        S3Hosts.forgetTestCredentials();
    }

    /** One run of a host child; {@code name} is unique per run, so a restart writes other bodies. */
    private final class Host {
        final String name;
        final Process process;
        final AtomicLong acked = new AtomicLong(-1);
        final List<String> problems = new CopyOnWriteArrayList<>();
        volatile String done;

        Host(String name, Path spool) throws IOException {
            this.name = name;
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            cmd.addAll(S3Hosts.credentialOptions());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), S3HostChild.class.getName(),
                    S3Hosts.location(server, "hosts", spool), name, stopFile().toString()));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread t = new Thread(this::readOutput, "host-" + name);
            t.setDaemon(true);
            t.start();
            hosts.add(this);
        }

        private void readOutput() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        acked.set(Long.parseLong(line.substring(4)));
                    } else if (line.startsWith("DONE ")) {
                        done = line;
                    } else if (line.startsWith("LOST") || line.startsWith("Exception")) {
                        problems.add(line);
                    }
                }
            } catch (IOException e) {
                problems.add("output: " + e);
            }
        }

        void awaitAcks(long n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acked.get() < n && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(acked.get()).as("%s acknowledged events (%s)", name, problems).isGreaterThanOrEqualTo(n);
        }
    }

    private Path stopFile() {
        return dir.resolve("stop");
    }

    private static void pause(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    @Test
    void threeHostsOneKilledAndTheStoreRestartedEveryAcknowledgedEventOnce() throws Exception {
        try (Store store = Store.open(S3Hosts.location(server, "hosts", dir.resolve("setup-spool")))) {
            // large day-wide buckets: during the outage no host needs a new bucket (creating one
            // needs the store), unless the run crosses midnight UTC
            store.createStream("s", StreamConfig.builder().bucketBytes(64L << 20)
                    .bucketWidth(Duration.ofDays(1)).build());
        }
        List<Event> tailed = new CopyOnWriteArrayList<>();
        List<String> tailErrors = new CopyOnWriteArrayList<>();
        AtomicBoolean stopTail = new AtomicBoolean();
        try (BucketlogReader reader = BucketlogReader.builder()
                .locations(S3Hosts.location(server, "hosts", dir.resolve("reader-spool"))).jmx(false).build();
             TailIterator tail = reader.tail("s").pollInterval(Duration.ofMillis(100)).iterator()) {
            Thread tailer = new Thread(() -> {
                while (!stopTail.get()) {
                    try {
                        Event e = tail.poll(Duration.ofMillis(100));
                        if (e != null) {
                            tailed.add(e);
                        }
                    } catch (RuntimeException e) {
                        tailErrors.add(e.toString()); // the store is down: the tail goes on after it
                    }
                }
            }, "tailer");
            tailer.start();

            Host h0 = new Host("h0", dir.resolve("spool-0"));
            Host h1 = new Host("h1", dir.resolve("spool-1"));
            Host h2 = new Host("h2", dir.resolve("spool-2"));
            for (Host h : List.of(h0, h1, h2)) {
                h.awaitAcks(100);
            }
            pause(RUN_SECONDS / 6.0);

            h0.process.destroyForcibly(); // SIGKILL, mid-run, between two publishes
            assertThat(h0.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Host h0again = new Host("h0r", dir.resolve("spool-0")); // recovers what h0 left
            h0again.awaitAcks(100);
            pause(RUN_SECONDS / 6.0);

            server.stop(); // every host keeps spooling; the tail finds nothing new
            pause(Math.max(2, RUN_SECONDS / 6.0));
            server.restart();
            pause(RUN_SECONDS / 3.0);

            Files.createFile(stopFile());
            for (Host h : List.of(h1, h2, h0again)) {
                assertThat(h.process.waitFor(120, TimeUnit.SECONDS)).as(h.name + " ends").isTrue();
                assertThat(h.done).as("%s closed (%s)", h.name, h.problems).isNotNull().endsWith(" 0");
                assertThat(h.problems).isEmpty();
            }

            // what each host acknowledged (h0's unacknowledged tail may be lost)
            Map<String, Long> acked = new HashMap<>();
            for (Host h : hosts) {
                acked.put(h.name, h.acked.get());
            }
            List<String> queried = reader.query("s").list().stream().map(Event::bodyText).toList();
            assertExactlyOnceEachAcknowledged("query", queried, acked);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (tailed.size() < queried.size() && System.nanoTime() < deadline) {
                pause(0.1);
            }
            pause(0.5); // nothing more may come
            stopTail.set(true);
            tailer.join();
            List<String> tailedBodies = tailed.stream().map(Event::bodyText).toList();
            assertThat(tailedBodies).as("the tail: what the query has, each once (errors while the store"
                    + " was down: %s)", tailErrors).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(queried);
        }
    }

    /** No body twice; every acknowledged one there; nothing a host never wrote. */
    private static void assertExactlyOnceEachAcknowledged(String what, List<String> bodies, Map<String, Long> acked) {
        assertThat(bodies).as(what + ": no duplicates").doesNotHaveDuplicates();
        Map<String, Set<Long>> byHost = new HashMap<>();
        for (String b : bodies) {
            int dash = b.lastIndexOf('-');
            byHost.computeIfAbsent(b.substring(0, dash), k -> new HashSet<>()).add(Long.parseLong(b.substring(dash + 1)));
        }
        assertThat(byHost.keySet()).as(what + ": hosts").isSubsetOf(acked.keySet());
        for (Map.Entry<String, Long> a : acked.entrySet()) {
            Set<Long> got = byHost.getOrDefault(a.getKey(), Set.of());
            for (long n = 0; n <= a.getValue(); n++) {
                if (!got.contains(n)) {
                    throw new AssertionError(what + ": acknowledged event " + a.getKey() + "-" + n + " is missing ("
                            + got.size() + " of " + a.getKey() + " there, " + a.getValue() + " acknowledged)");
                }
            }
            // what is there beyond the acknowledged ones is a prefix of what the host wrote
            long max = got.stream().mapToLong(Long::longValue).max().orElse(-1);
            assertThat(got).as(what + ": " + a.getKey() + " without gaps").hasSize((int) (max + 1));
        }
    }
}

package io.bucketlog.cli;

import static io.bucketlog.cli.Run.cli;
import static io.bucketlog.cli.StoreCopies.copy;
import static io.bucketlog.cli.StoreCopies.flip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.bucketlog.Event;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.LogRecord;
import io.bucketlog.samples.crm.TimelineApp;
import io.bucketlog.samples.log4j2.OrderServiceLog4j2;
import io.bucketlog.samples.logback.OrderServiceLogback;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI end to end, against a store written by the sample applications. */
class CliTest {
    @TempDir
    static Path store;
    /** A test's own directories, besides the shared store. */
    @TempDir
    Path scratch;

    static List<LogRecord> orders;

    @BeforeAll
    static void writeWithTheSamples() throws Exception {
        OrderServiceLog4j2.run(store.toString(), 600);
        OrderServiceLogback.run(store.toString(), 300);
        TimelineApp.load(store, 3000, 20, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try (BucketlogReader reader = BucketlogReader.open(store)) {
            orders = reader.query("orders").stream().map(LogRecord::of).toList();
        }
        assertThat(orders).hasSize(602);
    }

    @Test
    void recoverOfADirectoryIsAUsageErrorThatSaysWhy() {
        Run r = cli("recover", store.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is a directory: there is nothing to recover");
    }

    @Test
    void recoverRefusesALocationWithASecret() {
        Run r = cli("recover", "s3://logs/prod?secret-key=abc123");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("credentials are never part of a location").doesNotContain("abc123");
    }

    @Test
    void streamsListsWhatTheSamplesCreated() {
        Run r = cli("streams", store.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("crm-timeline").contains("orders ").contains("orders-logback");
        assertThat(r.out()).contains("block 8.0 KiB");
    }

    @Test
    void queryPrintsLogLinesInTimeOrderWithLevelFilter() {
        Run r = cli("query", store.toString(), "--stream", "orders", "--level", "ERROR");
        assertThat(r.code()).isZero();
        List<String> heads = r.lines().stream().filter(l -> l.startsWith("20")).toList();
        long errors = orders.stream().filter(o -> o.level().equals("ERROR")).count();
        assertThat(errors).isPositive();
        assertThat(heads).hasSize((int) errors).allMatch(l -> l.contains(" ERROR [main] com.example.orders.Payments {user-"));
        assertThat(r.out()).contains("Caused by: java.io.IOException: card issuer answered 402");
        List<String> times = heads.stream().map(l -> l.substring(0, l.indexOf(' '))).toList();
        assertThat(times).isSortedAccordingTo(Comparator.comparing(Instant::parse));
    }

    @Test
    void jsonOutputIsOneObjectPerLine() throws IOException {
        Run r = cli("query", store.toString(), "--stream", "orders", "--key", "user-7", "--output", "json");
        assertThat(r.code()).isZero();
        long expected = orders.stream().filter(o -> o.event().key().equals("user-7")).count();
        assertThat(r.lines()).hasSize((int) expected);
        JsonFactory f = new JsonFactory();
        for (String line : r.lines()) {
            Map<String, String> fields = new HashMap<>();
            try (JsonParser p = f.createParser(line)) {
                assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    if (t == JsonToken.START_OBJECT) {
                        p.skipChildren();
                    } else {
                        fields.put(name, p.getText());
                    }
                }
                assertThat(p.nextToken()).isNull();
            }
            assertThat(fields).containsEntry("key", "user-7").containsEntry("stream", "orders")
                    .containsKeys("time", "level", "logger", "message", "id");
        }
    }

    @Test
    void logfmtQuotesWhatNeedsQuoting() {
        Run r = cli("query", store.toString(), "--stream", "orders", "--limit", "1", "-o", "logfmt");
        assertThat(r.code()).isZero();
        assertThat(r.lines()).hasSize(1);
        assertThat(r.lines().get(0)).startsWith("time=20").contains(" level=INFO ")
                .contains(" msg=\"order service starting, 600 orders to process\"");
    }

    @Test
    void limitPrintsACursorThatContinuesExactlyAfter() {
        String key = busiestKey();
        List<String> all = cli("query", store.toString(), "--stream", "orders", "--key", key,
                "--reverse", "-o", "json").lines();
        assertThat(all.size()).isGreaterThan(4);
        Run first = cli("query", store.toString(), "--stream", "orders", "--key", key,
                "--reverse", "--limit", "3", "-o", "json");
        assertThat(first.lines()).isEqualTo(all.subList(0, 3));
        String cursor = first.err().substring(first.err().indexOf("--after ") + 8).trim();
        Run rest = cli("query", store.toString(), "--stream", "orders", "--key", key,
                "--reverse", "--after", cursor, "-o", "json");
        assertThat(rest.code()).isZero();
        assertThat(rest.lines()).isEqualTo(all.subList(3, all.size()));
    }

    private static String busiestKey() {
        Map<String, Long> counts = new HashMap<>();
        orders.forEach(o -> counts.merge(o.event().key(), 1L, Long::sum));
        counts.remove("");
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    @Test
    void sinceAndUntilTakeIsoAndRelativeTimes() {
        LogRecord mid = orders.get(300);
        Run r = cli("query", store.toString(), "--stream", "orders", "--since", mid.timestamp().toString(),
                "-o", "json");
        assertThat(r.lines()).hasSize(302);
        Run none = cli("query", store.toString(), "--stream", "orders", "--until", "1d");
        assertThat(none.code()).isZero();
        assertThat(none.out()).isEmpty();
        Run recent = cli("query", store.toString(), "--stream", "orders", "--since", "1h", "--grep",
                "order service done");
        assertThat(recent.lines()).hasSize(1);
    }

    @Test
    void tailPrintsTheLastEventsOldestFirst() {
        Run r = cli("tail", store.toString(), "--stream", "orders", "-n", "3", "-o", "json");
        assertThat(r.code()).isZero();
        List<String> expected = cli("query", store.toString(), "--stream", "orders", "-o", "json").lines();
        assertThat(r.lines()).isEqualTo(expected.subList(expected.size() - 3, expected.size()));
    }

    @Test
    void tailFollowsNewEventsFromAnotherProcess() throws Exception {
        Path dir = Files.createDirectory(scratch.resolve("tailf"));
        try (Store s = Store.open(dir)) {
            s.createStream("live", TimelineApp.CONFIG);
        }
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), BucketlogCli.class.getName(), "tail",
                dir.toString(), "--stream", "live", "-f", "-o", "logfmt");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // the process was stopped
            }
        });
        pump.start();
        try (Store s = Store.open(dir);
             Writer w = s.writer(WriterOptions.builder().ringFullPolicy(RingFullPolicy.BLOCK).closeOnJvmShutdown(false).build())) {
            // Until the child's tail has started, events written may predate it: write one every
            // 100 ms until the first shows up, then the real batch.
            long ts = System.currentTimeMillis() * 1_000_000L;
            int probes = 0;
            while (lines.isEmpty() && probes < 300) {
                w.append("live", "probe", ts + probes, Map.of(), ("probe " + probes++).getBytes(StandardCharsets.UTF_8));
                w.flush(Duration.ofSeconds(5));
                Thread.sleep(100);
            }
            assertThat(lines).as("the tail printed the first probe").isNotEmpty();
            for (int i = 0; i < 50; i++) {
                w.append("live", "u" + (i % 5), ts + 1000 + i, Map.of("n", Integer.toString(i)),
                        ("event " + i).getBytes(StandardCharsets.UTF_8));
            }
            w.flush(Duration.ofSeconds(5));
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.stream().filter(l -> l.contains("body=\"event ")).count() < 50 && System.nanoTime() < deadline) {
                String l = lines.poll(100, TimeUnit.MILLISECONDS);
                if (l != null) {
                    got.add(l);
                }
            }
            for (int i = 0; i < 50; i++) {
                String body = "body=\"event " + i + "\"";
                assertThat(got.stream().filter(l -> l.endsWith(body))).as(body).hasSize(1);
            }
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            pump.join(10_000);
        }
    }

    @Test
    void statsCountsEventsAndDrawsAHistogram() {
        Run r = cli("stats", store.toString(), "--stream", "orders");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("stream orders").contains("events         602")
                .contains("compression ratio").contains("sealed").contains("events over time").contains("#");
    }

    @Test
    void verifyFindsNothingOnAHealthyStoreAndEveryFlipOnADamagedOne() throws IOException {
        Run ok = cli("verify", store.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("no damage").contains(" 3904 readable events");

        Path damaged = Files.createDirectory(scratch.resolve("damaged"));
        copy(store, damaged);
        Path bucket;
        try (Stream<Path> files = Files.walk(damaged.resolve("orders"))) {
            bucket = files.filter(f -> f.toString().endsWith(".bkt")).findFirst().orElseThrow();
        }
        flip(bucket, 200); // inside the first block: the header is far shorter
        Run bad = cli("verify", damaged.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out()).containsPattern("DAMAGED .*" + bucket.getFileName() + " @\\d+: block");
        assertThat(bad.out()).contains("1 damaged place");

        Run query = cli("query", damaged.toString(), "--stream", "orders", "-o", "json");
        assertThat(query.code()).isEqualTo(1);
        assertThat(query.err()).contains("skipped damaged data").contains(bucket.getFileName().toString());
        assertThat(query.lines().size()).isBetween(1, 601);
    }

    @Test
    void badArgumentsAreOneClearLineAndExitCode2() throws IOException {
        Run unknownStream = cli("query", store.toString(), "--stream", "nope");
        assertThat(unknownStream.code()).isEqualTo(2);
        assertThat(unknownStream.err()).startsWith("bucketlog: no stream 'nope'").contains("orders");
        assertThat(unknownStream.err().lines().count()).isEqualTo(1);

        Path empty = Files.createDirectory(scratch.resolve("empty"));
        Run notAStore = cli("stats", empty.toString());
        assertThat(notAStore.code()).isEqualTo(2);
        assertThat(notAStore.err()).contains("is not a Bucketlog store").doesNotContain("\tat ");
        assertThat(Files.list(empty)).isEmpty(); // reading never creates a store

        assertThat(cli("query", store.toString()).code()).isEqualTo(2); // --stream missing
        assertThat(cli("query", store.toString(), "--stream", "orders", "--since", "last tuesday").err())
                .contains("cannot read time 'last tuesday'");
        assertThat(cli("query", store.toString(), "--stream", "orders", "-o", "yaml").err())
                .contains("--output must be text, raw, json or logfmt");
        assertThat(cli("query", store.toString(), "--stream", "orders", "--level", "LOUD").code()).isEqualTo(2);
        assertThat(cli("query", store.toString(), "--stream", "orders", "--attr", "novalue").code()).isEqualTo(2);
        assertThat(cli("frobnicate").code()).isEqualTo(2);

        Run debug = cli("--debug", "stats", empty.toString());
        assertThat(debug.err()).contains("\tat ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"query", "tail", "streams", "stats", "verify", "demo"})
    void everyCommandHasHelp(String command) {
        Run r = cli(command, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: bucketlog " + command);
    }

    @Test
    void demoWritesAndReadsBack() throws IOException {
        Path dir = Files.createDirectory(scratch.resolve("demo"));
        Run r = cli("demo", dir.toString(), "--orders", "300");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("$ bucketlog query").contains("latest 5 events of user-42")
                .contains("stream orders").contains("events         302");
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            List<Event> logged = reader.query("orders").list();
            assertThat(logged).hasSize(302);
        }
    }
}

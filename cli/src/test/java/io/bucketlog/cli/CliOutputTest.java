package io.bucketlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.LogAttributes;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filters, output formats, time display, keys and fields, version and errors, in process. */
class CliOutputTest {
    private static final String[] LEVELS = {"INFO", "WARN", "ERROR"};

    @TempDir
    static Path store;
    /** A test's own directories, besides the shared store. */
    @TempDir
    Path scratch;

    /** Events 0..199 at whole seconds (no fraction), one hour ago. */
    static long base;

    record Run(int code, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    static Run cli(Console console, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BucketlogCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), console);
        return new Run(code, out.toString(), err.toString());
    }

    static Run cli(String... args) {
        return cli(Console.PIPE, args);
    }

    static String level(int i) {
        return LEVELS[i % 3];
    }

    static String tenant(int i) {
        return i % 4 == 0 ? "acme" : "globex-" + (i % 4);
    }

    static String message(int i) {
        return (i % 5 == 0 ? "Payment TIMEOUT after " : "order shipped ") + i;
    }

    @BeforeAll
    static void write() {
        base = (System.currentTimeMillis() / 1000 - 3600) * 1_000_000_000L;
        try (Store s = Store.open(store);
             Writer w = s.writer(WriterOptions.builder().ringFullPolicy(RingFullPolicy.BLOCK)
                     .closeOnJvmShutdown(false).build())) {
            s.createStream("app", StreamConfig.builder().bucketBytes(1 << 20).build());
            for (int i = 0; i < 200; i++) {
                Map<String, String> a = new LinkedHashMap<>();
                a.put(LogAttributes.LEVEL, level(i));
                a.put(LogAttributes.LOGGER, "com.example.Orders");
                a.put(LogAttributes.THREAD, "main");
                a.put(LogAttributes.CONTEXT_PREFIX + "tenant", tenant(i));
                if (i % 10 == 0) {
                    a.put("ctx.request id", "r" + i);
                }
                w.append("app", "user-" + (i % 7), base + i * 1_000_000_000L, a,
                        message(i).getBytes(StandardCharsets.UTF_8));
            }
            s.createStream("raw", StreamConfig.builder().bucketBytes(1 << 20).build());
            w.append("raw", "k", base, Map.of("n", "1"),
                    "bell\u0007 and \u001b[2J\u001b]0;pwned\u0007 clear".getBytes(StandardCharsets.UTF_8));
            w.flush(Duration.ofSeconds(20));
        }
    }

    private static long expected(java.util.function.IntPredicate p) {
        long n = 0;
        for (int i = 0; i < 200; i++) {
            n += p.test(i) ? 1 : 0;
        }
        return n;
    }

    @Test
    void grepTakesARegularExpressionAndDashIIgnoresCase() {
        Run exact = cli("query", store.toString(), "-s", "app", "--grep", "timeout after \\d+$", "-o", "raw");
        assertThat(exact.code()).isZero();
        assertThat(exact.lines()).isEmpty(); // case differs
        Run folded = cli("query", store.toString(), "-s", "app", "--grep", "timeout after \\d+$", "-i", "-o", "raw");
        assertThat(folded.lines()).hasSize((int) expected(i -> i % 5 == 0))
                .allMatch(l -> l.startsWith("Payment TIMEOUT after "));
        Run bad = cli("query", store.toString(), "-s", "app", "--grep", "(unclosed");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--grep is not a regular expression");
    }

    @Test
    void attrTakesEqualsNotEqualsAndRegexFormsAndAllFiltersCombine() {
        Run notAcme = cli("query", store.toString(), "-s", "app", "--attr", "ctx.tenant!=acme", "-o", "raw");
        assertThat(notAcme.lines()).hasSize((int) expected(i -> i % 4 != 0));
        Run regex = cli("query", store.toString(), "-s", "app", "--attr", "ctx.tenant~^glob.*-[13]$", "-o", "raw");
        assertThat(regex.lines()).hasSize((int) expected(i -> i % 4 == 1 || i % 4 == 3));
        Run notRegex = cli("query", store.toString(), "-s", "app", "--attr", "ctx.tenant!~^glob", "-o", "raw");
        assertThat(notRegex.lines()).hasSize((int) expected(i -> i % 4 == 0));
        Run all = cli("query", store.toString(), "-s", "app", "--attr", "ctx.tenant!=acme",
                "--level", "WARN", "--grep", "timeout", "-i", "--key", "user-3", "-o", "raw");
        List<String> want = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (i % 4 != 0 && !level(i).equals("INFO") && i % 5 == 0 && i % 7 == 3) {
                want.add(message(i));
            }
        }
        assertThat(want).isNotEmpty();
        assertThat(all.lines()).isEqualTo(want);
        assertThat(cli("query", store.toString(), "-s", "app", "--attr", "=x").code()).isEqualTo(2);
        assertThat(cli("query", store.toString(), "-s", "app", "--attr", "a!b").code()).isEqualTo(2);
    }

    @Test
    void jsonTimesHaveNineFractionDigitsEvenOnAWholeSecond() {
        Run r = cli("query", store.toString(), "-s", "app", "--limit", "2", "-o", "json");
        assertThat(r.lines()).hasSize(2);
        String first = Instant.ofEpochSecond(base / 1_000_000_000L).toString().replace("Z", ".000000000Z");
        assertThat(r.lines().get(0)).contains("\"time\":\"" + first + "\"");
        assertThat(cli("query", store.toString(), "-s", "app", "--limit", "1", "-o", "logfmt").out())
                .startsWith("time=" + first + " ");
    }

    @Test
    void textTimesAreLocalAndLevelsColouredOnATerminalOnly() {
        Console terminal = new Console(true, true);
        String local = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
                .format(Instant.ofEpochSecond(base / 1_000_000_000L).atZone(ZoneId.systemDefault()));
        Run tty = cli(terminal, "query", store.toString(), "-s", "app", "--limit", "3");
        assertThat(tty.lines().get(0)).startsWith(local + ".000000000 ").contains("\u001b[32mINFO \u001b[0m");
        assertThat(tty.lines().get(2)).contains("\u001b[1;31mERROR\u001b[0m");
        Run utc = cli(terminal, "query", store.toString(), "-s", "app", "--limit", "1", "--utc");
        assertThat(utc.out()).startsWith(Instant.ofEpochSecond(base / 1_000_000_000L).toString()
                .replace("Z", ".000000000Z"));
        Run piped = cli("query", store.toString(), "-s", "app");
        assertThat(piped.out()).doesNotContain("\u001b").startsWith(utc.out().substring(0, 30));
        Run forcedLocal = cli("query", store.toString(), "-s", "app", "--limit", "1", "--local");
        assertThat(forcedLocal.out()).startsWith(local + ".000000000 ");
        assertThat(cli("query", store.toString(), "-s", "app", "--utc", "--local").code()).isEqualTo(2);
    }

    @Test
    void textRawAndLogfmtEscapeControlCharactersAndLogfmtQuotesKeysWithSpaces() {
        for (String format : List.of("text", "raw", "logfmt")) {
            Run r = cli(new Console(true, true), "query", store.toString(), "-s", "raw", "-o", format);
            assertThat(r.out()).as(format).doesNotContain("\u0007").doesNotContain("\u001b[2J")
                    .contains("bell\\u0007 and \\u001b[2J\\u001b]0;pwned\\u0007 clear");
        }
        Run logfmt = cli("query", store.toString(), "-s", "app", "--limit", "1", "-o", "logfmt");
        assertThat(logfmt.out()).contains(" \"ctx.request id\"=r0 ").contains(" ctx.tenant=acme ");
    }

    @Test
    void keysAndFieldsListNamesWithCountsMostFirst() {
        Map<String, Long> keys = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            keys.merge("user-" + (i % 7), 1L, Long::sum);
        }
        Run k = cli("keys", store.toString(), "-s", "app");
        assertThat(k.code()).isZero();
        assertThat(k.lines()).hasSize(7);
        Map<String, Long> printed = new TreeMap<>();
        long previous = Long.MAX_VALUE;
        for (String line : k.lines()) {
            String[] parts = line.trim().split(" ");
            long n = Long.parseLong(parts[0]);
            assertThat(n).isLessThanOrEqualTo(previous);
            previous = n;
            printed.put(parts[1], n);
        }
        assertThat(printed).isEqualTo(new TreeMap<>(keys));

        Run f = cli("fields", store.toString(), "-s", "app", "--level", "ERROR");
        long errors = expected(i -> level(i).equals("ERROR"));
        long errorsWithRequest = expected(i -> level(i).equals("ERROR") && i % 10 == 0);
        assertThat(f.lines()).containsExactly(
                errors + " ctx.tenant", errors + " level", errors + " logger", errors + " thread",
                String.format("%" + Long.toString(errors).length() + "d ctx.request id", errorsWithRequest));
    }

    @Test
    void versionNamesTheCommitAndTheFormatVersions() {
        Run v = cli("-V");
        assertThat(v.code()).isZero();
        assertThat(v.lines().get(0)).startsWith("bucketlog ").contains("(commit ");
        assertThat(v.lines().get(1)).isEqualTo("formats: data bucket 1, index bucket 1, stream config 1");
    }

    @Test
    void anInvertedRangeIsReportedInTimesNotNanoseconds() {
        Run r = cli("query", store.toString(), "-s", "app", "--since", "90m", "--until", "2h");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).containsPattern("--since 90m \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+\\)"
                + " is not before --until 2h \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+\\)$")
                .doesNotContainPattern("\\d{15}");
    }

    @Test
    void anUnreadableStoreIsAFailureNotAUsageError() throws IOException {
        Path broken = Files.createDirectory(scratch.resolve("broken"));
        try (Store s = Store.open(broken)) {
            s.streams();
        }
        Path props = broken.resolve("store.properties");
        Files.delete(props);
        Files.createDirectory(props); // reading it fails with an I/O error, even for root
        Run r = cli("stats", broken.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("bucketlog: cannot open store directory");
    }

    @Test
    void aWriteIntoAClosedPipeStopsTheQueryAtOnce() {
        int[] writesAfterClose = {0};
        OutputStream closedAfterFirstWrite = new OutputStream() {
            boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    writesAfterClose[0]++;
                }
                closed = true;
                throw new IOException("Broken pipe");
            }
        };
        StringWriter err = new StringWriter();
        // 200 json lines fill a 1 KiB buffer many times; without the guard each write is tried
        PrintWriter out = Stdout.over(closedAfterFirstWrite, 1024);
        int code = BucketlogCli.run(new String[] {"query", store.toString(), "-s", "app", "-o", "json",
            "--grep", "x{0}"}, out, new PrintWriter(err, true), Console.PIPE);
        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(writesAfterClose[0]).isZero();
    }
}

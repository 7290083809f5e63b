package io.bucketlog.cli;

import static io.bucketlog.cli.Run.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bucketlog query --storage-order} on a compacted store: two one-minute windows merged by
 * the brigade (so a window is held key by key, not in time order), and late events in a second
 * bucket of the first window, so that every-event-once across buckets is at stake.
 */
class QueryStorageOrderTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final int WRITERS = 3;
    private static final int PER_WRITER = 100;
    private static final int LATE = 20;
    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");
    private static final Pattern KEY = Pattern.compile("\"key\":\"([^\"]*)\"");

    @TempDir
    static Path store;

    /** The first minute of the two windows written. */
    private static long first;

    @BeforeAll
    static void writeCompactAndWriteLate() {
        first = Math.floorDiv(System.currentTimeMillis() * 1_000_000L - 6 * MINUTE, MINUTE) * MINUTE;
        try (Store s = Store.open(store)) {
            s.createStream("app", StreamConfig.builder().bucketBytes(1 << 20).blockBytes(512)
                    .bucketWidth(Duration.ofMinutes(1)).indexWindow(Duration.ofMinutes(1)).build());
            for (int w = 0; w < WRITERS; w++) {
                // over both minutes, keys taking turns: time order interleaves the keys
                write(s, w, PER_WRITER, 2 * MINUTE / PER_WRITER);
            }
        }
        for (int pass = 0; pass < 2; pass++) { // the merge, then the deletion of its inputs
            Run r = cli("compact", store.toString(), "--once", "--grace", "0s", "--lateness", "0s");
            assertThat(r.code()).as(r.err()).isZero();
        }
        try (Store s = Store.open(store)) {
            write(s, WRITERS, LATE, MINUTE / LATE / 2);
        }
    }

    private static void write(Store s, int writer, int events, long stepNanos) {
        try (Writer wr = s.writer(WriterOptions.builder().closeOnJvmShutdown(false).build())) {
            for (int i = 0; i < events; i++) {
                wr.append("app", "user" + i % 4, first + 1_000_000L * writer + i * stepNanos, Map.of(),
                        ("w" + writer + " event " + i).getBytes());
            }
            assertThat(wr.flush(Duration.ofSeconds(20))).isTrue();
        }
    }

    private static List<String> query(String... options) {
        List<String> args = new ArrayList<>(List.of("query", store.toString(), "--stream", "app", "-o", "json"));
        args.addAll(List.of(options));
        Run r = cli(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return r.lines();
    }

    private static Instant time(String line) {
        Matcher m = TIME.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return Instant.parse(m.group(1));
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }

    @Test
    void everyEventComesOnceAndTheWindowsOldestFirstButNotInTimeOrder() {
        List<String> byTime = query();
        List<String> stored = query("--storage-order");

        assertThat(byTime).hasSize(WRITERS * PER_WRITER + LATE);
        assertThat(new HashSet<>(stored)).hasSameSizeAs(stored);
        assertThat(sorted(stored)).isEqualTo(sorted(byTime));
        assertThat(stored).as("a merged window is held key by key").isNotEqualTo(byTime);

        Instant second = Instant.ofEpochSecond(0, first + MINUTE);
        int firstOfSecond = (int) Stream.iterate(0, i -> i + 1).limit(stored.size())
                .filter(i -> !time(stored.get(i)).isBefore(second)).findFirst().orElseThrow();
        assertThat(stored.subList(0, firstOfSecond)).allMatch(l -> time(l).isBefore(second));
        assertThat(stored.subList(firstOfSecond, stored.size())).allMatch(l -> !time(l).isBefore(second));
    }

    @Test
    void keyAndTimeRangeSelectTheSameEventsAsInTimeOrder() {
        String second = Instant.ofEpochSecond(0, first + MINUTE).toString();
        String[] selection = {"--key", "user1", "--since", second};
        List<String> byTime = query(selection);
        assertThat(byTime).isNotEmpty();
        List<String> stored = new ArrayList<>(List.of(selection));
        stored.add("--storage-order");
        assertThat(sorted(query(stored.toArray(String[]::new)))).isEqualTo(sorted(byTime));
    }

    @Test
    void limitKeepsTheFirstEventsInStorageOrderAndPrintsNoCursor() {
        List<String> stored = query("--storage-order");
        Run cut = cli("query", store.toString(), "--stream", "app", "-o", "json", "--storage-order",
                "--limit", "7");
        assertThat(cut.code()).as(cut.err()).isZero();
        assertThat(cut.lines()).isEqualTo(stored.subList(0, 7));
        assertThat(cut.err()).startsWith("bucketlog: --limit reached; storage order has no cursor")
                .doesNotContain("--after ");

        Run all = cli("query", store.toString(), "--stream", "app", "-o", "json", "--storage-order",
                "--limit", Integer.toString(stored.size() + 1));
        assertThat(all.lines()).isEqualTo(stored);
        assertThat(all.err()).isEmpty();
    }

    @Test
    void reverseAndAfterAreRefusedAsUsageErrorsThatSayWhy() {
        Run reverse = cli("query", store.toString(), "--stream", "app", "--reverse", "--storage-order");
        assertThat(reverse.code()).isEqualTo(2);
        assertThat(reverse.out()).isEmpty();
        assertThat(reverse.err()).isEqualTo("bucketlog: --storage-order cannot be combined with --reverse:"
                + " storage order reads windows oldest first\n");

        Run page = cli("query", store.toString(), "--stream", "app", "--limit", "3");
        String cursor = page.err().substring(page.err().indexOf("--after ") + 8).trim();
        Run after = cli("query", store.toString(), "--stream", "app", "--storage-order", "--after", cursor);
        assertThat(after.code()).isEqualTo(2);
        assertThat(after.out()).isEmpty();
        assertThat(after.err()).isEqualTo("bucketlog: --storage-order cannot be combined with --after:"
                + " a cursor is a position in time order\n");
    }

    @Test
    void damagedDataIsSkippedToldAndExit1AsInTimeOrder(@TempDir Path damaged) throws IOException {
        StoreCopies.copy(store, damaged);
        Path merged;
        try (Stream<Path> files = Files.walk(damaged.resolve("app"))) {
            merged = files.filter(f -> f.toString().endsWith(".bkt"))
                    .max(Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
        }
        StoreCopies.flip(merged, 300); // inside the first block: the header is far shorter

        Run byTime = cli("query", damaged.toString(), "--stream", "app", "-o", "json");
        Run stored = cli("query", damaged.toString(), "--stream", "app", "-o", "json", "--storage-order");
        assertThat(stored.code()).isEqualTo(1);
        assertThat(stored.err()).contains("skipped damaged data").contains(merged.getFileName().toString());
        assertThat(stored.lines()).isNotEmpty().hasSizeLessThan(WRITERS * PER_WRITER + LATE)
                .doesNotHaveDuplicates();
        assertThat(byTime.code()).isEqualTo(1);
        assertThat(sorted(stored.lines())).isEqualTo(sorted(byTime.lines()));
    }

    @Test
    void helpSaysWhatOrderTheUserGets() {
        Run help = cli("query", "--help");
        assertThat(help.code()).isZero();
        String text = help.out().replaceAll("\\s+", " "); // as wrapped for an 80-column terminal
        assertThat(text).contains("--storage-order").contains("in the order the store holds them")
                .contains("oldest window first").contains("Not with --reverse or --after");
    }

    @Test
    void keysCountsEveryEventOfACompactedStoreOnce() {
        Map<String, Long> expected = new HashMap<>();
        for (String line : query()) {
            Matcher m = KEY.matcher(line);
            assertThat(m.find()).isTrue();
            expected.merge(m.group(1), 1L, Long::sum);
        }
        Run keys = cli("keys", store.toString(), "--stream", "app");
        assertThat(keys.code()).as(keys.err()).isZero();
        Map<String, Long> counted = new HashMap<>();
        for (String row : keys.lines()) {
            String[] parts = row.trim().split(" ");
            counted.put(parts[1], Long.parseLong(parts[0]));
        }
        assertThat(counted).isEqualTo(expected);
    }
}

package io.bucketlog.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Durability;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.brigade.Brigade;
import io.bucketlog.brigade.BrigadeSummary;
import io.bucketlog.brigade.PruneSummary;
import io.bucketlog.inspect.BucketInfo;
import io.bucketlog.inspect.Progress;
import io.bucketlog.inspect.StoreInspector;
import io.bucketlog.inspect.WindowInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The brigade on a backend, as every backend must carry it (storage-core's test-jar, beside
 * {@link StorageContractTest}): brigades on several hosts racing each other while a writer appends
 * late events to the windows they compact and readers scan; retention and {@code prune}; a writer
 * killed with SIGKILL whose unsealed bucket is merged once it is older than the abandon age. Every
 * "host" is its own handle on the store ({@link #open}), so nothing is shared in memory. Only the
 * public API is used.
 *
 * <p>The race's model is the set of events whose writer's flush returned before a scan began; the
 * writer runs with durability {@code sync}, which on every backend means visible to other hosts
 * when the flush returns. The race lasts {@code -Dbrigade.raceMillis} (default 2000) and on until
 * the brigades have merged as many units as there are brigades.
 */
public abstract class BrigadeContractTest {
    protected static final String STREAM = "s";
    private static final long MINUTE = 60_000_000_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long RUN_MILLIS = Long.getLong("brigade.raceMillis", 2000);
    /** Minute buckets in hour index windows, tiny buckets and blocks: many objects from few events. */
    private static final StreamConfig CONFIG = StreamConfig.builder().bucketBytes(4096).blockBytes(512)
            .bucketWidth(Duration.ofMinutes(1)).indexWindow(Duration.ofHours(1)).build();

    /** Makes a new, empty store for the next test (called before each). */
    protected abstract void newStore() throws IOException;

    /** Opens this test's store as host {@code host} would: its own handle (and spool, if any). */
    protected abstract Store open(String host) throws IOException;

    /** How a child JVM, started with this test's class path, opens this test's store as {@code host}. */
    protected abstract ChildStore child(String host);

    /**
     * A store as a child JVM opens it: {@code Store.open(location)}, with {@code jvmOptions} on its
     * command line (system properties a backend reads).
     */
    protected record ChildStore(String location, List<String> jvmOptions) {
        public ChildStore {
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    @BeforeEach
    final void createStream() throws IOException {
        newStore();
        try (Store store = open("setup")) {
            store.createStream(STREAM, CONFIG);
        }
    }

    private static WriterOptions writerOptions() {
        return WriterOptions.builder().closeOnJvmShutdown(false).ringFullPolicy(RingFullPolicy.BLOCK)
                .durability(Durability.SYNC).errorListener((m, c) -> {
                    throw new AssertionError("writer error: " + m, c);
                }).build();
    }

    /** The start of the minute {@code minutesAgo} before now. */
    private static long minuteAgo(int minutesAgo) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return Math.floorDiv(now - minutesAgo * MINUTE, MINUTE) * MINUTE;
    }

    /** A brigade on {@code store} at {@code clock}: no lateness, no roll-up, failing on any error. */
    private static Brigade.Builder brigade(Store store, Clock clock) {
        return Brigade.builder(store).clock(clock).lateness(Duration.ZERO).rollUpAfter(null)
                .errors((m, c) -> {
                    throw new AssertionError(m, c);
                });
    }

    @ParameterizedTest(name = "{0} brigades")
    @ValueSource(ints = {2, 3})
    void racingBrigadesOnSeveralHostsWithAWriterAndReadersSeeEveryEventExactlyOnce(int brigades)
            throws Exception {
        long seed = System.nanoTime();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<BrigadeSummary> summaries = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(() -> {
            Random r = new Random(seed);
            try (Store store = open("writer")) {
                for (int batch = 0; !stop.get(); batch++) {
                    List<String> bodies = new ArrayList<>();
                    try (Writer w = store.writer(writerOptions())) {
                        for (int i = 0; i < 40; i++) {
                            // late events for the minutes 2 to 9 ago: windows the brigades compact
                            long ts = minuteAgo(2 + r.nextInt(8)) + (long) (r.nextDouble() * MINUTE);
                            String body = "b" + batch + "-" + i;
                            w.append(STREAM, "k" + r.nextInt(5), ts, Map.of(),
                                    body.getBytes(StandardCharsets.UTF_8));
                            bodies.add(body);
                        }
                        assertThat(w.flush(Duration.ofSeconds(30))).isTrue();
                    }
                    acked.addAll(bodies);
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "writer"));
        for (int reader = 0; reader < 2; reader++) {
            String host = "reader-" + reader;
            threads.add(new Thread(() -> {
                try (Store store = open(host)) {
                    while (!stop.get()) {
                        checkExactlyOnce(store, Set.copyOf(acked), "a scan during the race (seed " + seed + ")");
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }, host));
        }
        for (int b = 0; b < brigades; b++) {
            String host = "brigade-" + b;
            threads.add(new Thread(() -> {
                try (Store store = open(host); Brigade brigade = racer(store).build()) {
                    while (!stop.get()) {
                        summaries.add(brigade.runOnce());
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }, host));
        }
        for (Thread t : threads) {
            t.setUncaughtExceptionHandler((th, e) -> failures.add(e));
            t.start();
        }
        Thread.sleep(RUN_MILLIS);
        // and on until the brigades merged something while racing: a slower backend gets there later
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (summaries.stream().mapToInt(BrigadeSummary::merges).sum() < brigades && failures.isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(120_000);
        }
        assertThat(failures).as("seed " + seed).isEmpty();
        assertThat(summaries.stream().mapToInt(BrigadeSummary::merges).sum()).as("merges happened: " + summaries)
                .isPositive();

        // Settle: past the grace period, passes until nothing is left to do.
        try (Store store = open("settle"); Brigade brigade = racer(store).build()) {
            for (int pass = 0; pass < 10; pass++) {
                Thread.sleep(1100);
                BrigadeSummary s = brigade.runOnce();
                if (s.merges() == 0 && s.inputsDeleted() == 0) {
                    break;
                }
            }
            checkExactlyOnce(store, Set.copyOf(acked), "settled (seed " + seed + ")");
            assertThat(buckets(store)).as("the windows end compacted: only sealed merges are left")
                    .isNotEmpty().allSatisfy(b -> {
                        assertThat(b.sealed()).as(b.location()).isTrue();
                        assertThat(b.location()).endsWith("-merged.bkt");
                    });
        }
    }

    /** Claims expire at once, so brigades also race on the commits themselves. */
    private static Brigade.Builder racer(Store store) {
        return brigade(store, Clock.systemUTC()).grace(Duration.ofSeconds(1)).claimTtl(Duration.ZERO);
    }

    @Test
    void windowsPastTheRetentionAreDeletedWholeAndPruneDeletesWhatItsDryRunListed() throws Exception {
        long old = Math.floorDiv(minuteAgo(0) - 3 * 24 * HOUR, HOUR) * HOUR;
        try (Store store = open("host")) {
            store.updateStream(STREAM, StreamConfig.builder().bucketBytes(4096).blockBytes(512)
                    .bucketWidth(Duration.ofMinutes(1)).indexWindow(Duration.ofHours(1))
                    .retention(Duration.ofDays(2)).build());
            List<String> expired = write(store, old, 3 * HOUR, 30, "expired"); // three index windows
            List<String> pruned = write(store, old + 30 * HOUR, HOUR / 2, 20, "pruned");
            List<String> recent = write(store, minuteAgo(5), MINUTE, 20, "recent");
            Brigade brigade = brigade(store, Clock.systemUTC()).build();
            try (brigade) {
                BrigadeSummary s = brigade.runOnce();
                assertThat(s.windowsExpired()).as("past the stream's retention").isEqualTo(3);
                assertThat(s.bytesDeleted()).isPositive();
                assertThat(bodies(store)).containsExactlyInAnyOrderElementsOf(concat(pruned, recent));
                assertThat(expired).isNotEmpty();

                PruneSummary dry = brigade.prune(STREAM, Duration.ofDays(1), true);
                assertThat(dry.windows()).hasSize(1);
                assertThat(dry.objects()).isGreaterThanOrEqualTo(2); // a bucket and its index
                assertThat(bodies(store)).as("a dry run deletes nothing").hasSize(pruned.size() + recent.size());

                PruneSummary done = brigade.prune(STREAM, Duration.ofDays(1), false);
                assertThat(done.windows()).isEqualTo(dry.windows());
                assertThat(done.bytes()).isEqualTo(dry.bytes());
                assertThat(bodies(store)).containsExactlyInAnyOrderElementsOf(recent);
                assertThat(brigade.prune(STREAM, Duration.ofDays(1), false).windows()).isEmpty();
                assertThat(windows(store)).as("only the recent window holds buckets")
                        .filteredOn(w -> !w.buckets().isEmpty()).singleElement();
            }
        }
    }

    @Test
    void aKilledWritersUnsealedBucketIsMergedOnlyOnceItIsOlderThanTheAbandonAgeAndItsIndexGoesToo()
            throws Exception {
        long minute = minuteAgo(3);
        try (Store store = open("host")) {
            List<String> sealed = write(store, minute, MINUTE, 30, "sealed");
            List<String> unsealed = BrigadeContractChild.writeAndDie(child("dead-host"), minute, 30, "unsealed");
            List<String> all = concat(sealed, unsealed);
            checkExactlyOnce(store, Set.copyOf(all), "the dead writer's events are read from its unsealed bucket");
            assertThat(buckets(store)).as("one bucket is left unsealed").filteredOn(b -> !b.sealed()).hasSize(1);
            int indexFiles = windows(store).get(0).indexFiles();

            Duration abandonAfter = Duration.ofHours(1);
            Duration grace = Duration.ofMinutes(15);
            try (Brigade now = brigade(store, Clock.systemUTC()).abandonAfter(abandonAfter).grace(grace).build()) {
                assertThat(now.runOnce().merges()).as("a bucket changed a moment ago may be a live writer's")
                        .isZero();
            }
            Clock later = Clock.offset(Clock.systemUTC(), abandonAfter.plusMinutes(1));
            try (Brigade b = brigade(store, later).abandonAfter(abandonAfter).grace(grace).build()) {
                BrigadeSummary s = b.runOnce();
                assertThat(s.merges()).isEqualTo(1);
                assertThat(s.inputs()).isEqualTo(2);
                assertThat(s.events()).isEqualTo(all.size());
            }
            checkExactlyOnce(store, Set.copyOf(all), "merged");
            assertThat(bodies(store)).hasSize(all.size());

            Clock pastGrace = Clock.offset(later, grace.plusMinutes(1));
            try (Brigade b = brigade(store, pastGrace).abandonAfter(abandonAfter).grace(grace).build()) {
                assertThat(b.runOnce().inputsDeleted()).isEqualTo(2);
                b.runOnce(); // sees the writers' index buckets without data buckets, idle for long
            }
            checkExactlyOnce(store, Set.copyOf(all), "after the inputs were deleted");
            assertThat(buckets(store)).singleElement().satisfies(b -> {
                assertThat(b.sealed()).isTrue();
                assertThat(b.location()).endsWith("-merged.bkt");
            });
            assertThat(windows(store).get(0).indexFiles())
                    .as("the idle index buckets of both writers were deleted; the merge's index and commit stay")
                    .isEqualTo(indexFiles);
        }
    }

    /** Writes and seals {@code count} events spread over {@code [from, from + span)}; their bodies. */
    private static List<String> write(Store store, long from, long span, int count, String tag) {
        List<String> bodies = new ArrayList<>();
        try (Writer w = store.writer(writerOptions())) {
            for (int i = 0; i < count; i++) {
                String body = tag + "-" + i;
                w.append(STREAM, "k" + i % 7, from + i * (span / count), Map.of(),
                        body.getBytes(StandardCharsets.UTF_8));
                bodies.add(body);
            }
            assertThat(w.flush(Duration.ofSeconds(30))).isTrue();
        }
        return bodies;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> c = new ArrayList<>(a);
        c.addAll(b);
        return c;
    }

    private static List<String> bodies(Store store) {
        return StoredEvents.bodies(store, STREAM);
    }

    /** Every expected event exactly once, nothing twice, nothing damaged. */
    private static void checkExactlyOnce(Store store, Set<String> expected, String what) {
        assertThat(StoredEvents.bodiesOnce(store, STREAM, what)).as(what + ": acknowledged events")
                .containsAll(expected);
    }

    private static List<WindowInfo> windows(Store store) {
        List<CorruptionReport> damage = new ArrayList<>();
        List<WindowInfo> w = StoreInspector.of(store).windows(STREAM, Progress.NONE, damage::add);
        assertThat(damage).isEmpty();
        return w;
    }

    private static List<BucketInfo> buckets(Store store) {
        return windows(store).stream().flatMap(w -> w.buckets().stream()).toList();
    }
}

package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.CorruptionReport;
import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.brigade.Brigade;
import io.bucketlog.brigade.BrigadeSummary;
import io.bucketlog.inspect.Progress;
import io.bucketlog.inspect.StoreInspector;
import io.bucketlog.inspect.WindowInfo;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.spi.StoredEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A writer killed with SIGKILL while the store was unreachable leaves events in its spool that
 * the store never got; a brigade takes its unsealed bucket as abandoned once it has not changed
 * for {@code abandonAfter} and merges what was published. Recovery, before that merge, after it,
 * or after the grace period deleted the bucket, still brings every acknowledged event to readers
 * exactly once, and so does a later brigade pass that merges what recovery wrote. The same holds
 * when the writer had sealed the bucket in its spool and was killed before the store took it as
 * one object: in the store it is the same unsealed bucket, and its index does not say otherwise.
 */
class LateRecoveryTest {
    @RegisterExtension
    static final S3ServerExtension S3 = S3ServerExtension.inMemory();
    private static final String STREAM = "s";
    private static final int EACH = 40;
    private static final Duration ABANDON_AFTER = Duration.ofHours(1);
    private static final Duration GRACE = Duration.ofMinutes(15);
    /** Minute buckets, small blocks: each half of the events fills several blocks of one bucket. */
    private static final StreamConfig CONFIG = StreamConfig.builder().bucketBytes(1 << 20).blockBytes(512)
            .bucketWidth(Duration.ofMinutes(1)).indexWindow(Duration.ofHours(1)).build();
    private static int stores;

    /** When the dead writer's spool is recovered, against the brigade's passes. */
    enum RecoveredWhen {
        BEFORE_THE_BRIGADE,
        AFTER_THE_MERGE,
        AFTER_THE_INPUTS_WERE_DELETED
    }

    static Stream<Arguments> cases() {
        return Stream.of(RecoveredWhen.values()).flatMap(when -> Stream.of(Arguments.of(when, false),
                Arguments.of(when, true)));
    }

    @ParameterizedTest(name = "{0}, sealed in its spool: {1}")
    @MethodSource("cases")
    void whatADeadWritersSpoolHeldIsReadExactlyOnceWheneverItIsRecovered(RecoveredWhen when, boolean sealed)
            throws Exception {
        List<String> all = allBodies();
        try (Scene scene = Scene.open()) {
            Store store = scene.store();
            CuttingProxy proxy = scene.proxy();
            String childLocation = scene.childLocation();
            writeAndDie(store, proxy, childLocation, deadMinute(), sealed);
            assertThat(bodies(store)).as("only the first half reached the store")
                    .containsExactlyInAnyOrderElementsOf(all.subList(0, EACH));

            Clock later = Clock.offset(Clock.systemUTC(), ABANDON_AFTER.plusMinutes(1));
            Clock pastGrace = Clock.offset(later, GRACE.plusMinutes(1));
            if (when == RecoveredWhen.BEFORE_THE_BRIGADE) {
                recover(store, proxy, childLocation);
                checkExactlyOnce(store, all, "recovered");
            }
            try (Brigade b = brigade(store, later)) {
                BrigadeSummary s = b.runOnce();
                assertThat(s.merges()).as("the abandoned bucket was merged").isEqualTo(1);
                assertThat(s.inputs()).as("with the bucket recovery wrote beside it, if it came first")
                        .isEqualTo(when == RecoveredWhen.BEFORE_THE_BRIGADE ? 2 : 1);
                assertThat(s.copies()).isZero();
            }
            checkExactlyOnce(store, when == RecoveredWhen.BEFORE_THE_BRIGADE ? all : all.subList(0, EACH), "merged");
            if (when == RecoveredWhen.AFTER_THE_MERGE) {
                recover(store, proxy, childLocation);
                checkExactlyOnce(store, all, "recovered after the merge");
            }
            try (Brigade b = brigade(store, pastGrace)) {
                assertThat(b.runOnce().inputsDeleted()).as("the merged inputs were deleted").isPositive();
            }
            if (when == RecoveredWhen.AFTER_THE_INPUTS_WERE_DELETED) {
                recover(store, proxy, childLocation);
            }
            checkExactlyOnce(store, all, "after the grace period");

            // a second brigade, once what recovery wrote is abandoned too, merges it with the rest
            // (or the pass above did, when recovery came more than abandonAfter before its clock)
            Clock much = Clock.offset(Clock.systemUTC(), ABANDON_AFTER.multipliedBy(3));
            try (Brigade b = brigade(store, much)) {
                assertThat(b.runOnce().copies()).as("no event was in two buckets").isZero();
            }
            checkExactlyOnce(store, all, "after the second brigade's merge");
            try (Brigade b = brigade(store, Clock.offset(much, GRACE.plusMinutes(1)))) {
                b.runOnce();
            }
            checkExactlyOnce(store, all, "after the second brigade's grace");
            assertThat(windows(store)).flatMap(WindowInfo::buckets).as("everything recovery wrote was merged")
                    .singleElement().satisfies(bucket -> {
                        assertThat(bucket.sealed()).isTrue();
                        assertThat(bucket.location()).endsWith("-merged.bkt");
                    });
        }
    }

    /**
     * A dead writer's index spool holding a bucket's "sealed" entry and then one more entry (the
     * "opened" of a next bucket, as after a rotation): the rest of the index is uploaded once,
     * also by a recovery run again from the spool as it was, and the "sealed" entry only if the
     * store had it already. That is the one case recovery cannot undo: the entry reached the
     * store (the bucket's whole upload failed, the index's next part went through; killed before
     * its record said so). The entry then stays: every event is still read once, and readers
     * report the disagreement between the index and the bucket, nothing else.
     */
    @ParameterizedTest(name = "the \"sealed\" entry published before the kill: {0}")
    @ValueSource(booleans = {false, true})
    void anIndexSpoolIsUploadedWithoutTheSealedEntryUnlessTheStoreHadIt(boolean sealPublished) throws Exception {
        try (Scene scene = Scene.open()) {
            Store store = scene.store();
            CuttingProxy proxy = scene.proxy();
            String childLocation = scene.childLocation();
            long minute = deadMinute();
            writeAndDie(store, proxy, childLocation, minute, true);
            SpooledIndex index = spooledIndex(childLocation);
            String name = index.name();
            int published = index.published();
            Path data = index.data();
            byte[] before = Files.readAllBytes(data);
            if (sealPublished) {
                String key = new ObjectLayout(new S3Location(S3ProxyServer.BUCKET, scene.prefix()))
                        .partKey(name, index.incarnation(), published);
                try (S3Client c = S3.server().client()) {
                    c.putObject(b -> b.bucket(S3ProxyServer.BUCKET).key(key),
                            RequestBody.fromBytes(Arrays.copyOfRange(before, published, before.length)));
                }
            }
            byte[] opened = WithdrawnSealsTest.frame(new IndexEntry.Opened(1, minute));
            Files.write(data, opened, StandardOpenOption.APPEND);
            byte[] expected = sealPublished ? Files.readAllBytes(data) : new byte[published + opened.length];
            if (!sealPublished) {
                System.arraycopy(before, 0, expected, 0, published);
                System.arraycopy(opened, 0, expected, published, opened.length);
            }

            recover(store, proxy, childLocation);

            try (S3Storage storage = S3Storage.open(S3Location.parse(childLocation),
                    S3Options.fromQuery(childLocation))) {
                assertThat(StoredBytes.read(storage, name)).as("the index in the store").isEqualTo(expected);
            }
            Map<String, Integer> seen = new HashMap<>();
            try (EventScan scan = store.scan(ScanRequest.all(STREAM))) {
                scan.forEachRemaining(e -> seen.merge(e.bodyText(), 1, Integer::sum));
                if (sealPublished) {
                    assertThat(scan.corruptions()).singleElement().satisfies(c -> assertThat(c.toString())
                            .contains("the index says this bucket was sealed"));
                } else {
                    assertThat(scan.corruptions()).isEmpty();
                }
            }
            assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(allBodies());
            assertThat(seen.values()).as("copies of each").containsOnly(1);
        }
    }

    /**
     * A dead writer's spool whose data bucket's record is unreadable, its bucket sealed in the
     * spool only: nothing of that writer is uploaded, since the unreadable record may be that
     * bucket, and its index spool's "sealed" entry (which recovery leaves out only for a bucket
     * it can plan) would tell readers and brigades a bucket is sealed that the store has only as
     * parts. The failure is reported and counted, and the spool left byte for byte as it was.
     */
    @Test
    void aDeadWriterWithAnUnreadableRecordPublishesNoSealedEntryAndKeepsItsSpool() throws Exception {
        try (Scene scene = Scene.open()) {
            Store store = scene.store();
            CuttingProxy proxy = scene.proxy();
            String childLocation = scene.childLocation();
            writeAndDie(store, proxy, childLocation, deadMinute(), true);
            SpooledIndex index = spooledIndex(childLocation);
            byte[] publishedIndex = Arrays.copyOf(Files.readAllBytes(index.data()), index.published());
            Path state;
            try (Stream<Path> all = Files.walk(spoolOf(childLocation))) {
                state = all.filter(p -> p.toString().endsWith(".bkt.state")).findFirst().orElseThrow();
            }
            Files.writeString(state, "published=many\n");
            Path deadWriter = state.getParent();
            int records = spoolRecordPaths(childLocation).size();
            Map<String, String> spoolBefore = contents(deadWriter);

            proxy.down(false);
            List<IOException> reported = new CopyOnWriteArrayList<>();
            S3Options options = S3Options.fromQuery(childLocation).toBuilder().errorListener(reported::add).build();
            try (S3Storage storage = S3Storage.open(S3Location.parse(childLocation), options)) {
                S3Storage.Recovery r = storage.recover(); // after the one that opening started

                assertThat(StoredBytes.read(storage, index.name()))
                        .as("the index in the store: what was published before the kill, no \"sealed\" entry")
                        .isEqualTo(publishedIndex);
                assertThat(contents(deadWriter)).as("the dead writer's spool, left as it was")
                        .isEqualTo(spoolBefore);
                assertThat(reported).anySatisfy(e -> assertThat(e).hasMessageContaining(state.toString())
                        .hasMessageContaining("unreadable spool record"));
                assertThat(r).as("every record of the writer failed, nothing uploaded")
                        .isEqualTo(new S3Storage.Recovery(0, 0, 0, records));
            }
            checkExactlyOnce(store, allBodies().subList(0, EACH), "the first half, its bucket not reported truncated");
        }
    }

    /**
     * A store under a prefix of its own, holding the stream, that this test's host reads, and the
     * dead writer's location: through {@code proxy}, with its own spool.
     */
    private record Scene(String prefix, Store store, CuttingProxy proxy, String childLocation)
            implements AutoCloseable {
        static Scene open() throws IOException {
            String prefix = "late-" + ++stores;
            Path dir = S3.dir().resolve(prefix);
            Store store = Store.open(S3Hosts.location(S3.server(), prefix, dir.resolve("spool-reader")));
            try {
                store.createStream(STREAM, CONFIG);
                CuttingProxy proxy = new CuttingProxy(S3.server().port());
                return new Scene(prefix, store, proxy, LateRecoveryTest.childLocation(prefix, dir, proxy));
            } catch (IOException | RuntimeException e) {
                store.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try (store) {
                proxy.close();
            }
        }
    }

    /** A dead writer's index spool: its object's name and incarnation, what of it was published, its data. */
    private record SpooledIndex(String name, String incarnation, int published, Path data) {
    }

    /** The one index spool the dead writer left, its "sealed" entry still in the spool only. */
    private static SpooledIndex spooledIndex(String location) throws IOException {
        Properties index = spoolRecords(location).stream()
                .filter(r -> r.getProperty("name").endsWith(".idx")).findFirst().orElseThrow();
        int published = Integer.parseInt(index.getProperty("published"));
        Path data;
        try (Stream<Path> all = Files.walk(spoolOf(location))) {
            data = all.filter(p -> p.toString().endsWith(".idx.data")).findFirst().orElseThrow();
        }
        assertThat(Files.size(data)).as("its \"sealed\" entry waits in the spool").isGreaterThan(published);
        return new SpooledIndex(index.getProperty("name"), index.getProperty("incarnation"), published, data);
    }

    /** Every file under {@code dir}, by its path there, with its bytes in hex. */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                out.put(dir.relativize(p).toString(), HexFormat.of().formatHex(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private static List<String> allBodies() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 2 * EACH; i++) {
            all.add(LateRecoveryChild.body("dead", i));
        }
        return all;
    }

    /** A minute three minutes ago: its window has closed, as a dead writer's would have. */
    private static long deadMinute() {
        return Math.floorDiv(System.currentTimeMillis() * 1_000_000L, LateRecoveryChild.MINUTE)
                * LateRecoveryChild.MINUTE - 3 * LateRecoveryChild.MINUTE;
    }

    /** The dead writer's location: through {@code proxy}, with its own spool. */
    private static String childLocation(String prefix, Path dir, CuttingProxy proxy) {
        return "s3://" + S3ProxyServer.BUCKET + "/" + prefix + "?endpoint=" + proxy.endpoint()
                + "&region=us-east-1&path-style=true&publish-interval-ms=" + S3Hosts.PUBLISH_INTERVAL_MS
                + "&spool=" + dir.resolve("spool-dead-host");
    }

    private static Brigade brigade(Store store, Clock clock) {
        return Brigade.builder(store).clock(clock).lateness(Duration.ZERO).rollUpAfter(null)
                .abandonAfter(ABANDON_AFTER).grace(GRACE).errors((m, c) -> {
                    throw new AssertionError(m, c);
                }).build();
    }

    /**
     * Runs the writer child through {@code proxy}: its first half is published; then the proxy is
     * down while it appends the second, which stays in its spool (and, if {@code sealed}, seals
     * its bucket there); then it is killed.
     */
    private static void writeAndDie(Store store, CuttingProxy proxy, String location, long minute, boolean sealed)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx96m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
        command.addAll(S3Hosts.credentialOptions());
        command.addAll(List.of(LateRecoveryChild.class.getName(), location, Long.toString(minute),
                Integer.toString(EACH), "dead"));
        if (sealed) {
            command.add("seal");
        }
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream in = child.getOutputStream()) {
            awaitLine(out, "FIRST");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (bodies(store).size() < EACH) {
                assertThat(System.nanoTime()).as("the first half was published").isLessThan(deadline);
                Thread.sleep(50);
            }
            proxy.down(true);
            in.write("GO\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            awaitLine(out, "SECOND");
        } finally {
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(spoolRecords(location)).as("what the killed writer's spool says of its bucket")
                .filteredOn(r -> r.getProperty("name").endsWith(".bkt")).singleElement()
                .satisfies(r -> {
                    assertThat(r.getProperty("sealed")).isEqualTo(Boolean.toString(sealed));
                    assertThat(r.getProperty("whole")).as("uploaded as one object").isEqualTo("false");
                });
    }

    private static List<Properties> spoolRecords(String location) throws IOException {
        List<Properties> out = new ArrayList<>();
        for (Path p : spoolRecordPaths(location)) {
            Properties r = new Properties();
            r.load(new StringReader(Files.readString(p, StandardCharsets.UTF_8)));
            out.add(r);
        }
        return out;
    }

    private static List<Path> spoolRecordPaths(String location) throws IOException {
        try (Stream<Path> all = Files.walk(spoolOf(location))) {
            return all.filter(p -> p.toString().endsWith(".state")).toList();
        }
    }

    private static Path spoolOf(String location) {
        return Path.of(location.substring(location.indexOf("&spool=") + "&spool=".length()));
    }

    private static void awaitLine(BufferedReader out, String expected) throws IOException {
        StringBuilder said = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null && !line.equals(expected)) {
            said.append(line).append('\n');
        }
        assertThat(line).as("the child said:\n" + said).isEqualTo(expected);
    }

    /**
     * What {@code bucketlog recover} does, on the dead host, once the store is reachable again;
     * then once more from a copy of the spool as it was, as a recovery killed after its uploads
     * and before it removed the spool leaves it: that second run stores nothing more.
     */
    private static void recover(Store store, CuttingProxy proxy, String location) throws IOException {
        proxy.down(false);
        Path spool = spoolOf(location);
        Path copy = spool.resolveSibling(spool.getFileName() + "-as-it-was");
        copyTree(spool, copy);
        recoverOnce(location, spool);
        List<WindowInfo> before = windows(store);
        TestFiles.deleteTree(spool);
        Files.move(copy, spool);
        recoverOnce(location, spool);
        assertThat(windows(store)).as("a recovery run again stores nothing twice").isEqualTo(before);
    }

    private static void recoverOnce(String location, Path spool) throws IOException {
        try (S3Storage storage = S3Storage.open(S3Location.parse(location), S3Options.fromQuery(location))) {
            storage.recover(); // after the one that opening started
            try (Stream<Path> left = Files.walk(spool)) {
                assertThat(left.filter(p -> p.toString().endsWith(".data")).toList())
                        .as("the dead writer's spool was recovered whole").isEmpty();
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static List<WindowInfo> windows(Store store) {
        List<CorruptionReport> damage = new ArrayList<>();
        List<WindowInfo> windows = StoreInspector.of(store).windows(STREAM, Progress.NONE, damage::add);
        assertThat(damage).isEmpty();
        return windows;
    }

    private static List<String> bodies(Store store) {
        return StoredEvents.bodies(store, STREAM);
    }

    /** Every one of {@code expected} exactly once, and nothing else. */
    private static void checkExactlyOnce(Store store, List<String> expected, String what) {
        assertThat(StoredEvents.bodiesOnce(store, STREAM, what)).as(what)
                .containsExactlyInAnyOrderElementsOf(expected);
    }
}

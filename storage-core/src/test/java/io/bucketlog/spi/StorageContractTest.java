package io.bucketlog.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link Storage}, {@link ReadableObject} and {@link AppendableObject}, as every
 * backend must keep it: extend this class in the backend's tests (storage-core's test-jar,
 * {@code <type>test-jar</type>}) and say how to open a fresh, empty storage, a second handle on
 * it, and how a child JVM opens it.
 *
 * <p>The second handle stands in for another process or host: what one handle does, the other
 * must see as the contract says. Visibility of appends is only asserted where the contract
 * promises it: after {@link AppendableObject#sync()} at once, after {@link
 * AppendableObject#publish()} or {@link AppendableObject#close()} eventually (polled, never
 * timed).
 */
public abstract class StorageContractTest {
    /** How long "eventually" may take before a test fails; generous for a loaded machine. */
    private static final long EVENTUALLY_MILLIS = 30_000;
    private static final int CHILD_PROCESSES = 3;

    /** A scratch directory for the test's own files (child processes' output). */
    @TempDir
    protected Path scratch;

    private Storage storage;
    private Storage second;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final long seed = new Random().nextLong();
    private final Random random = new Random(seed);

    /** A new, empty storage; closed by the suite after each test. */
    protected abstract Storage newStorage() throws IOException;

    /**
     * A second, independent handle on the storage {@code first} (no state shared in memory), as
     * another process or host would open it; closed by the suite after each test.
     */
    protected abstract Storage secondHandle(Storage first) throws IOException;

    /** How a child JVM, started with this test's class path, opens the storage {@code first}. */
    protected abstract ChildStorage childStorage(Storage first);

    /**
     * How a child JVM opens a storage: it finds {@code provider} with {@link java.util.ServiceLoader}
     * (so it must be registered) and calls
     * {@link StorageProvider#open open(location, false)}; {@code jvmOptions} go on its command
     * line before the main class (system properties a backend reads, never a secret the test
     * did not make up).
     */
    protected record ChildStorage(Class<? extends StorageProvider> provider, String location,
                                  List<String> jvmOptions) {
        public ChildStorage {
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    @BeforeEach
    final void openStorage() throws IOException {
        storage = newStorage();
    }

    @AfterEach
    final void closeStorage() throws Exception {
        Exception failure = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            failure = closeQuietly(opened.get(i), failure);
        }
        if (second != null) {
            failure = closeQuietly(second, failure);
        }
        failure = closeQuietly(storage, failure);
        if (failure != null) {
            throw failure;
        }
    }

    private static Exception closeQuietly(AutoCloseable c, Exception failure) {
        try {
            c.close();
            return failure;
        } catch (Exception e) {
            if (failure != null) {
                failure.addSuppressed(e);
                return failure;
            }
            return e;
        }
    }

    /** The storage under test. */
    protected final Storage storage() {
        return storage;
    }

    /** The second handle on it, opened on first use. */
    protected final Storage other() throws IOException {
        if (second == null) {
            second = secondHandle(storage);
        }
        return second;
    }

    private <T extends AutoCloseable> T track(T c) {
        opened.add(c);
        return c;
    }

    private String seedNote() {
        return "(seed " + seed + ")";
    }

    // ---------------------------------------------------------------- list

    @Test
    void aNewStorageListsNothing() throws IOException {
        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void listingAMissingPrefixGivesAnEmptyList() throws IOException {
        storage.putIfAbsent("present/a", bytes(3));
        assertThat(storage.list("absent/")).isEmpty();
        assertThat(storage.list("absent/deeper/")).isEmpty();
        assertThat(storage.list("present/a/")).as("an object is not a prefix").isEmpty();
    }

    @Test
    void listShowsObjectsByTheirLastSegmentAndPrefixesWithASlash() throws IOException {
        storage.putIfAbsent("s/w1/a.bkt", bytes(5));
        storage.putIfAbsent("s/w1/b.idx", bytes(5));
        storage.putIfAbsent("s/w2/deep/c.bkt", bytes(5));
        storage.putIfAbsent("s/stream.conf", bytes(5));
        storage.putIfAbsent("t/x", bytes(5));

        assertThat(storage.list("")).containsExactlyInAnyOrder("s/", "t/");
        assertThat(storage.list("s/")).containsExactlyInAnyOrder("w1/", "w2/", "stream.conf");
        assertThat(storage.list("s/w1/")).containsExactlyInAnyOrder("a.bkt", "b.idx");
        assertThat(storage.list("s/w2/")).containsExactlyInAnyOrder("deep/");
        assertThat(storage.list("s/w2/deep/")).containsExactlyInAnyOrder("c.bkt");
        assertThat(other().list("s/w1/")).as("another handle lists the same")
                .containsExactlyInAnyOrder("a.bkt", "b.idx");
    }

    @Test
    void listDoesNotConfuseAPrefixWithANameThatStartsLikeIt() throws IOException {
        storage.putIfAbsent("ab/x", bytes(1));
        storage.putIfAbsent("abc/y", bytes(1));
        storage.putIfAbsent("abd", bytes(1));
        assertThat(storage.list("ab/")).containsExactly("x");
        assertThat(storage.list("")).containsExactlyInAnyOrder("ab/", "abc/", "abd");
    }

    @Test
    void aGrowingObjectIsListedOnceByItsNameWithNothingOfHowItIsKept() throws IOException {
        try (AppendableObject out = storage.create("s/w/grow.bkt")) {
            for (int i = 0; i < 5; i++) {
                out.append(bytes(100), 0, 100);
                out.sync();
            }
            assertThat(storage.list("s/w/")).containsExactly("grow.bkt");
            assertThat(other().list("s/w/")).containsExactly("grow.bkt");
            assertThat(storage.list("s/")).containsExactly("w/");
        }
        assertThat(storage.list("s/w/")).containsExactly("grow.bkt");
    }

    @Test
    void aDeletedObjectIsNoLongerListedAndItsEmptyPrefixListsNothing() throws IOException {
        storage.putIfAbsent("s/w/a", bytes(10));
        try (AppendableObject out = storage.create("s/w/b")) {
            out.append(bytes(10), 0, 10);
            out.sync();
        }
        assertThat(storage.delete("s/w/a")).isTrue();
        assertThat(storage.delete("s/w/b")).isTrue();
        assertThat(storage.list("s/w/")).isEmpty();
        assertThat(other().list("s/w/")).isEmpty();
    }

    @Test
    void listingWhileObjectsAppearAndDisappearShowsEveryCompletedCreateAndNoCompletedDelete()
            throws Exception {
        storage.putIfAbsent("churn/stable", bytes(4));
        // name -> 0 created (create returned), 1 deleting, 2 deleted (delete returned)
        Map<String, Integer> state = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> churnFailure = new AtomicReference<>();
        Thread churn = new Thread(() -> {
            try {
                int next = 0;
                List<String> live = new ArrayList<>();
                Random r = new Random(seed);
                while (!stop.get()) {
                    String name = "c" + next++;
                    if (r.nextBoolean()) {
                        storage.putIfAbsent("churn/" + name, bytes(8));
                    } else {
                        try (AppendableObject out = other().create("churn/" + name)) {
                            out.append(bytes(8), 0, 8);
                        }
                    }
                    state.put(name, 0);
                    live.add(name);
                    if (live.size() > 8) {
                        String victim = live.remove(r.nextInt(live.size()));
                        state.put(victim, 1);
                        assertThat((r.nextBoolean() ? storage : other()).delete("churn/" + victim)).isTrue();
                        state.put(victim, 2);
                    }
                }
            } catch (Throwable t) {
                churnFailure.set(t);
            }
        }, "contract-churn");
        churn.start();
        try {
            // at least 60 listings, and on until the churn has created and deleted a few dozen
            // objects (a fast backend lists faster than it creates)
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EVENTUALLY_MILLIS);
            for (int round = 0; (round < 60 || state.size() < 40) && churnFailure.get() == null
                    && System.nanoTime() < deadline; round++) {
                Set<String> createdBefore = new HashSet<>();
                Set<String> deletedBefore = new HashSet<>();
                state.forEach((name, s) -> {
                    if (s == 0) {
                        createdBefore.add(name);
                    } else if (s == 2) {
                        deletedBefore.add(name);
                    }
                });
                Storage lister = round % 2 == 0 ? storage : other();
                List<String> listed = lister.list("churn/");
                assertThat(listed).as("round " + round + " " + seedNote()).contains("stable")
                        .doesNotHaveDuplicates();
                for (String gone : deletedBefore) {
                    assertThat(listed).as("round " + round + ": completed delete " + seedNote())
                            .doesNotContain(gone);
                }
                for (String name : createdBefore) {
                    if (state.get(name) == 0) { // not deleted while the listing ran
                        assertThat(listed).as("round " + round + ": completed create " + seedNote())
                                .contains(name);
                    }
                }
            }
        } finally {
            stop.set(true);
            churn.join(EVENTUALLY_MILLIS);
        }
        assertThat(churnFailure.get()).isNull();
        assertThat(state).as("the churn ran").hasSizeGreaterThanOrEqualTo(40);
    }

    // ---------------------------------------------------------------- stat and versions

    @Test
    void statOfAMissingObjectIsEmpty() throws IOException {
        assertThat(storage.stat("nothing/here")).isEmpty();
        assertThat(storage.statListed("nothing/here")).isEmpty();
        storage.putIfAbsent("x/y", bytes(1));
        assertThat(storage.stat("x")).as("a prefix is not an object").isEmpty();
        assertThat(storage.statListed("x")).as("a prefix is not an object").isEmpty();
        assertThat(storage.stat("x/y/z")).isEmpty();
        assertThat(storage.statListed("x/y/z")).as("under an object").isEmpty();
    }

    @Test
    void statGivesTheSizeAndTheSameVersionToEveryHandle() throws IOException {
        byte[] content = bytes(1234);
        storage.putIfAbsent("a/b", content);
        ObjectVersion v = storage.stat("a/b").orElseThrow();
        assertThat(v.name()).isEqualTo("a/b");
        assertThat(v.size()).isEqualTo(1234);
        assertThat(storage.stat("a/b")).contains(v);
        assertThat(storage.statListed("a/b")).as("listed").contains(v);
        assertThat(other().stat("a/b")).as("stable across handles").contains(v);
        try (ReadableObject in = other().openRead("a/b")) {
            assertThat(in.version()).isEqualTo(v);
        }
    }

    @Test
    void aGrowingObjectsVersionChangesWithEveryVisibleAppend() throws IOException {
        try (AppendableObject out = storage.create("g/o")) {
            ObjectVersion empty = storage.stat("g/o").orElseThrow();
            assertThat(empty.size()).isZero();
            assertThat(out.size()).isZero();
            List<ObjectVersion> seen = new ArrayList<>(List.of(empty));
            long total = 0;
            for (int i = 1; i <= 4; i++) {
                out.append(bytes(10 * i), 0, 10 * i);
                total += 10 * i;
                assertThat(out.size()).isEqualTo(total);
                out.sync();
                ObjectVersion v = other().stat("g/o").orElseThrow();
                assertThat(v.size()).isEqualTo(total);
                assertThat(storage.stat("g/o")).contains(v);
                assertThat(storage.statListed("g/o")).contains(v);
                assertThat(seen).as("a new version after append " + i).doesNotContain(v);
                seen.add(v);
            }
            try (ReadableObject in = other().openRead("g/o")) {
                assertThat(in.version()).isEqualTo(seen.get(seen.size() - 1));
            }
        }
    }

    // ---------------------------------------------------------------- last modified

    /** How far a backend's last-modified instant may be from this host's clock (whole-second stamps). */
    private static final Duration STAMP_TOLERANCE = Duration.ofSeconds(2);

    @Test
    void lastModifiedOfAMissingObjectIsEmpty() throws IOException {
        assertThat(storage.lastModified("nothing/here")).isEmpty();
        storage.putIfAbsent("x/y", bytes(1));
        assertThat(storage.lastModified("x")).as("a prefix is not an object").isEmpty();
        storage.delete("x/y");
        assertThat(storage.lastModified("x/y")).as("deleted").isEmpty();
    }

    @Test
    void lastModifiedIsWhenTheObjectWasMadeOnThisHostsClockForEveryHandle() throws IOException {
        Instant before = Instant.now();
        storage.putIfAbsent("t/whole", bytes(100));
        try (AppendableObject out = storage.create("t/growing")) {
            Instant after = Instant.now();
            assertThat(out.size()).isZero();
            for (Storage s : List.of(storage, other())) {
                for (String name : List.of("t/whole", "t/growing")) {
                    assertThat(s.lastModified(name)).as(name).hasValueSatisfying(at -> assertThat(at)
                            .isBetween(before.minus(STAMP_TOLERANCE), after.plus(STAMP_TOLERANCE)));
                }
            }
        }
    }

    @Test
    void aGrowingObjectsLastModifiedMovesOnWithAVisibleAppendAndItsSeal() throws Exception {
        try (AppendableObject out = storage.create("t/o")) {
            Instant made = other().lastModified("t/o").orElseThrow();
            // each stamp is within a second of the truth (whole seconds), so 2.1 s apart they differ
            Thread.sleep(2100);
            Instant appended = Instant.now();
            out.append(bytes(10), 0, 10);
            out.sync();
            Instant grown = other().lastModified("t/o").orElseThrow();
            assertThat(grown).as("after the append").isAfter(made)
                    .isBetween(appended.minus(STAMP_TOLERANCE), Instant.now().plus(STAMP_TOLERANCE));
            out.seal();
            assertThat(other().lastModified("t/o")).as("sealed").hasValueSatisfying(at ->
                    assertThat(at).isAfterOrEqualTo(grown.minus(STAMP_TOLERANCE)));
        }
    }

    // ---------------------------------------------------------------- read

    @Test
    void readReturnsTheRangeAskedForAndFewerBytesOnlyAtTheEnd() throws IOException {
        byte[] content = bytes(300_000);
        storage.putIfAbsent("r/big", content);
        try (ReadableObject in = other().openRead("r/big")) {
            assertThat(in.name()).isEqualTo("r/big");
            assertThat(in.size()).isEqualTo(content.length);
            for (int i = 0; i < 40; i++) {
                int position = random.nextInt(content.length);
                int length = 1 + random.nextInt(70_000);
                int offset = random.nextInt(16);
                byte[] into = new byte[offset + length + 16];
                int n = in.read(position, into, offset, length);
                int expected = Math.min(length, content.length - position);
                assertThat(n).as("read of " + length + " at " + position + " " + seedNote()).isEqualTo(expected);
                assertThat(Arrays.copyOfRange(into, offset, offset + n))
                        .isEqualTo(Arrays.copyOfRange(content, position, position + n));
                assertThat(Arrays.copyOfRange(into, 0, offset)).as("nothing before offset").isEqualTo(new byte[offset]);
                assertThat(Arrays.copyOfRange(into, offset + n, into.length)).as("nothing after")
                        .isEqualTo(new byte[into.length - offset - n]);
            }
            byte[] into = new byte[10];
            assertThat(in.read(content.length, into, 0, 10)).as("at the end").isZero();
            assertThat(in.read(content.length + 5L, into, 0, 10)).as("past the end").isZero();
            assertThat(in.read(content.length - 3L, into, 2, 8)).as("across the end").isEqualTo(3);
            assertThat(Arrays.copyOfRange(into, 2, 5)).isEqualTo(Arrays.copyOfRange(content, content.length - 3, content.length));
            assertThat(in.read(0, into, 0, 0)).as("nothing asked").isZero();
            assertThat(readAll(in)).isEqualTo(content);
        }
    }

    @Test
    void anEmptyObjectReadsAsEmpty() throws IOException {
        assertThat(storage.putIfAbsent("e/empty", new byte[0])).isTrue();
        try (ReadableObject in = other().openRead("e/empty")) {
            assertThat(in.size()).isZero();
            assertThat(in.read(0, new byte[4], 0, 4)).isZero();
        }
        assertThat(storage.stat("e/empty").orElseThrow().size()).isZero();
    }

    @Test
    void readsOfAGrowingObjectSeeAPrefixOfWhatWasAppended() throws Exception {
        byte[] all = bytes(200_000);
        CountDownLatch created = new CountDownLatch(1);
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (AppendableObject out = storage.create("g/grow")) {
                created.countDown();
                Random r = new Random(seed);
                int at = 0;
                while (at < all.length) {
                    int n = Math.min(all.length - at, 1 + r.nextInt(9000));
                    out.append(all, at, n);
                    at += n;
                    if (r.nextInt(4) == 0) {
                        out.sync();
                    } else {
                        out.publish();
                    }
                }
                out.sync();
            } catch (Throwable t) {
                writerFailure.set(t);
            } finally {
                created.countDown();
                done.set(true);
            }
        }, "contract-writer");
        writer.start();
        assertThat(created.await(EVENTUALLY_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
        long lastSize = 0;
        int distinctSizes = 0;
        try (ReadableObject in = other().openRead("g/grow")) {
            boolean finished;
            do {
                finished = done.get();
                long size = in.size();
                assertThat(size).as("never shrinks " + seedNote()).isGreaterThanOrEqualTo(lastSize)
                        .isLessThanOrEqualTo(all.length);
                if (size != lastSize) {
                    distinctSizes++;
                }
                lastSize = size;
                byte[] prefix = readFully(in, 0, (int) size);
                assertThat(prefix).as("a prefix of what was appended " + seedNote())
                        .isEqualTo(Arrays.copyOf(all, (int) size));
            } while (!finished);
            writer.join();
            assertThat(writerFailure.get()).isNull();
            assertThat(in.size()).as("after the writer's last sync").isEqualTo(all.length);
            assertThat(readAll(in)).isEqualTo(all);
        }
        assertThat(distinctSizes).as("the reader saw it grow").isPositive();
    }

    @Test
    void aHandleOpenedOnAGrowingObjectSeesLaterAppends() throws IOException {
        try (AppendableObject out = storage.create("g/later")) {
            out.append(bytes(10), 0, 10);
            out.sync();
            try (ReadableObject in = other().openRead("g/later")) {
                assertThat(in.size()).isEqualTo(10);
                byte[] more = bytes(50);
                out.append(more, 0, 50);
                out.sync();
                assertThat(in.size()).isEqualTo(60);
                assertThat(readFully(in, 10, 50)).isEqualTo(more);
                assertThat(in.version().size()).isEqualTo(60);
            }
        }
    }

    @Test
    void whatWasAppendedBecomesVisibleAfterPublishOrClose() throws Exception {
        byte[] first = bytes(700);
        byte[] second = bytes(300);
        try (AppendableObject out = storage.create("g/published")) {
            out.append(first, 0, first.length);
            out.publish();
            awaitContent(other(), "g/published", first);
            out.append(second, 0, second.length);
        }
        awaitContent(other(), "g/published", concat(first, second));
    }

    @Test
    void aSealedObjectReadsAsEverythingAppendedAndAsOneName() throws Exception {
        byte[] content = new byte[0];
        AppendableObject out = storage.create("s/sealed");
        try {
            for (int i = 0; i < 6; i++) {
                byte[] chunk = bytes(5000 + i);
                out.append(chunk, 0, chunk.length);
                content = concat(content, chunk);
                if (i % 2 == 0) {
                    out.sync();
                }
            }
            out.seal();
        } finally {
            out.close();
        }
        awaitContent(other(), "s/sealed", content);
        assertThat(storage.list("s/")).containsExactly("sealed");
        assertThat(storage.stat("s/sealed").orElseThrow().size()).isEqualTo(content.length);
    }

    // ---------------------------------------------------------------- putIfAbsent and create

    @Test
    void putIfAbsentCreatesOnceAndNeverReplaces() throws IOException {
        byte[] first = bytes(100);
        assertThat(storage.putIfAbsent("p/once", first)).isTrue();
        assertThat(storage.putIfAbsent("p/once", bytes(100))).isFalse();
        assertThat(other().putIfAbsent("p/once", bytes(7))).isFalse();
        assertThat(read(other(), "p/once")).isEqualTo(first);
        assertThat(read(storage, "p/once")).isEqualTo(first);
    }

    @Test
    void putIfAbsentOnAGrowingObjectsNameIsFalseAndChangesNothing() throws IOException {
        try (AppendableObject out = storage.create("p/growing")) {
            out.append(bytes(10), 0, 10);
            out.sync();
            assertThat(other().putIfAbsent("p/growing", bytes(3))).isFalse();
            assertThat(storage.stat("p/growing").orElseThrow().size()).isEqualTo(10);
        }
    }

    @Test
    void ofManyThreadsRacingPutIfAbsentExactlyOneWinsAndItsContentIsWhatIsRead() throws Exception {
        int threads = 8;
        int names = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int n = 0; n < names; n++) {
                String name = "race/threads-" + n;
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Storage s = t % 2 == 0 ? storage : other();
                    byte[] content = contentOf("thread-" + t, name);
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        return s.putIfAbsent(name, content);
                    }));
                }
                List<Integer> winners = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    if (outcomes.get(t).get(EVENTUALLY_MILLIS, TimeUnit.MILLISECONDS)) {
                        winners.add(t);
                    }
                }
                assertThat(winners).as(name).hasSize(1);
                assertThat(read(storage, name)).isEqualTo(contentOf("thread-" + winners.get(0), name));
                assertThat(read(other(), name)).isEqualTo(contentOf("thread-" + winners.get(0), name));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ofSeveralProcessesRacingPutIfAbsentExactlyOneWinsAndItsContentIsWhatIsRead() throws Exception {
        ChildStorage how = childStorage(storage);
        List<StorageContractChild.Running> children = new ArrayList<>();
        try {
            for (int c = 0; c < CHILD_PROCESSES; c++) {
                children.add(StorageContractChild.start(how, "child-" + c, scratch.resolve("child-" + c + ".err")));
            }
            for (StorageContractChild.Running child : children) {
                child.awaitReady(EVENTUALLY_MILLIS * 2);
            }
            for (StorageContractChild.Running child : children) {
                child.go();
            }
            for (StorageContractChild.Running child : children) {
                child.awaitRacing(EVENTUALLY_MILLIS * 2);
            }
            // this process races too, on its second handle
            Map<String, List<String>> winners = new ConcurrentHashMap<>();
            for (int n = 0; n < StorageContractChild.RACE_NAMES; n++) {
                String name = StorageContractChild.raceName("parent", n);
                if (other().putIfAbsent(name, contentOf("parent", name))) {
                    winners.computeIfAbsent(name, k -> new ArrayList<>()).add("parent");
                }
            }
            for (StorageContractChild.Running child : children) {
                for (String name : child.awaitWins(EVENTUALLY_MILLIS * 2)) {
                    winners.computeIfAbsent(name, k -> new ArrayList<>()).add(child.id());
                }
            }
            for (int n = 0; n < StorageContractChild.RACE_NAMES; n++) {
                String name = StorageContractChild.raceName(n);
                assertThat(winners.get(name)).as(name + ": winners").hasSize(1);
                assertThat(read(storage, name)).as(name)
                        .isEqualTo(contentOf(winners.get(name).get(0), name));
            }
            assertThat(winners.values().stream().flatMap(List::stream).distinct().count())
                    .as("the race was shared (winners " + winners + ")").isGreaterThan(1);
        } finally {
            for (StorageContractChild.Running child : children) {
                child.destroy();
            }
        }
    }

    @Test
    void createOnAnExistingNameThrowsObjectExistsAndChangesNothing() throws Exception {
        byte[] content = bytes(40);
        storage.putIfAbsent("c/put", content);
        assertThatThrownBy(() -> other().create("c/put")).isInstanceOf(ObjectExistsException.class)
                .hasMessageContaining(storage.locationOf("c/put"));
        assertThat(read(storage, "c/put")).isEqualTo(content);

        try (AppendableObject out = storage.create("c/made")) {
            out.append(content, 0, content.length);
            out.sync();
            assertThatThrownBy(() -> storage.create("c/made")).isInstanceOf(ObjectExistsException.class);
            assertThatThrownBy(() -> other().create("c/made")).isInstanceOf(ObjectExistsException.class);
        }
        awaitContent(storage, "c/made", content);
    }

    @Test
    void aCreatedObjectExistsAtOnceAndEmpty() throws IOException {
        try (AppendableObject out = storage.create("c/new")) {
            assertThat(out.name()).isEqualTo("c/new");
            assertThat(out.isBroken()).isFalse();
            assertThat(other().stat("c/new").orElseThrow().size()).isZero();
            assertThat(other().list("c/")).containsExactly("new");
            try (ReadableObject in = other().openRead("c/new")) {
                assertThat(in.size()).isZero();
            }
        }
    }

    // ---------------------------------------------------------------- append and reopen

    @Test
    void reopenContinuesWhereCloseLeftOff() throws Exception {
        byte[] first = bytes(1000);
        byte[] second = bytes(2000);
        try (AppendableObject out = storage.create("a/continued")) {
            out.append(first, 0, first.length);
        }
        try (AppendableObject out = storage.reopen("a/continued", first.length)) {
            assertThat(out.size()).isEqualTo(first.length);
            out.append(second, 0, second.length);
            out.sync();
            assertThat(read(other(), "a/continued")).isEqualTo(concat(first, second));
        }
        awaitContent(other(), "a/continued", concat(first, second));
    }

    @Test
    void reopenWithAnotherSizeIsRefusedAndChangesNothing() throws Exception {
        byte[] content = bytes(100);
        try (AppendableObject out = storage.create("a/sized")) {
            out.append(content, 0, content.length);
        }
        awaitContent(other(), "a/sized", content);
        for (long wrong : new long[] {0, 99, 101}) {
            Throwable t = catchThrowable(() -> track(storage.reopen("a/sized", wrong)));
            assertThat(t).as("reopen at " + wrong).isInstanceOf(IOException.class)
                    .isNotInstanceOf(NoSuchObjectException.class)
                    .hasMessageContaining(storage.locationOf("a/sized"));
        }
        assertThat(read(other(), "a/sized")).isEqualTo(content);
    }

    @Test
    void aRefusedAppendChangesNothingAndTheNextLandsRightAfterThePrevious() throws IOException {
        byte[] first = bytes(64);
        byte[] second = bytes(32);
        try (AppendableObject out = storage.create("a/whole")) {
            out.append(first, 0, first.length);
            assertThatThrownBy(() -> out.append(new byte[10], 5, 10))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> out.append(new byte[10], -1, 2))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(out.size()).isEqualTo(first.length);
            assertThat(out.isBroken()).isFalse();
            out.append(second, 0, second.length);
            out.append(second, 0, 0);
            out.sync();
            assertThat(read(other(), "a/whole")).isEqualTo(concat(first, second));
        }
    }

    @Test
    void appendsFromAnOffsetStoreExactlyThoseBytes() throws IOException {
        byte[] source = bytes(100);
        try (AppendableObject out = storage.create("a/offset")) {
            out.append(source, 10, 20);
            out.append(source, 90, 10);
            out.sync();
            assertThat(read(other(), "a/offset")).isEqualTo(concat(
                    Arrays.copyOfRange(source, 10, 30), Arrays.copyOfRange(source, 90, 100)));
        }
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deletingTwiceReturnsFalseTheSecondTime() throws IOException {
        storage.putIfAbsent("d/x", bytes(5));
        assertThat(storage.delete("d/x")).isTrue();
        assertThat(storage.delete("d/x")).isFalse();
        assertThat(other().delete("d/x")).isFalse();
        assertThat(storage.delete("d/never")).isFalse();
        assertThat(storage.stat("d/x")).isEmpty();
        assertThat(storage.putIfAbsent("d/x", bytes(5))).as("the name is free again").isTrue();
    }

    @Test
    void aDeleteUnderAnOpenReaderReadsToTheEndOrFailsAsMissingButNeverGivesWrongBytes()
            throws Exception {
        byte[] whole = bytes(400_000);
        storage.putIfAbsent("d/put", whole);
        readWhileDeleted("d/put", whole);

        byte[] grown = new byte[0];
        try (AppendableObject out = storage.create("d/grown")) {
            for (int i = 0; i < 5; i++) {
                byte[] chunk = bytes(30_000);
                out.append(chunk, 0, chunk.length);
                out.sync();
                grown = concat(grown, chunk);
            }
        }
        awaitContent(other(), "d/grown", grown);
        readWhileDeleted("d/grown", grown);
    }

    private void readWhileDeleted(String name, byte[] content) throws IOException {
        try (ReadableObject in = other().openRead(name)) {
            int chunk = 16_384;
            byte[] into = new byte[chunk];
            assertThat(in.read(0, into, 0, chunk)).isEqualTo(chunk);
            assertThat(into).isEqualTo(Arrays.copyOf(content, chunk));
            assertThat(storage.delete(name)).isTrue();
            assertThat(storage.stat(name)).isEmpty();
            int position = chunk;
            while (position < content.length) {
                int n;
                try {
                    n = in.read(position, into, 0, chunk);
                } catch (NoSuchObjectException gone) {
                    assertThat(gone).hasMessageContaining(storage.locationOf(name));
                    return;
                }
                assertThat(n).as(name + " at " + position).isEqualTo(Math.min(chunk, content.length - position));
                assertThat(Arrays.copyOf(into, n)).as(name + " at " + position)
                        .isEqualTo(Arrays.copyOfRange(content, position, position + n));
                position += n;
            }
        }
    }

    // ---------------------------------------------------------------- missing and hostile names

    @Test
    void missingNamesFailWithNoSuchObjectNamingTheirLocation() throws IOException {
        assertThatThrownBy(() -> storage.openRead("m/none")).isInstanceOf(NoSuchObjectException.class)
                .hasMessageContaining(storage.locationOf("m/none"));
        assertThatThrownBy(() -> storage.reopen("m/none", 0)).isInstanceOf(NoSuchObjectException.class)
                .hasMessageContaining(storage.locationOf("m/none"));
        storage.putIfAbsent("m/some", bytes(3));
        assertThatThrownBy(() -> storage.openRead("m")).as("a prefix is not an object")
                .isInstanceOf(NoSuchObjectException.class);
        storage.delete("m/some");
        assertThatThrownBy(() -> other().openRead("m/some")).isInstanceOf(NoSuchObjectException.class);
        assertThat(storage.location()).isNotEmpty();
        assertThat(storage.locationOf("m/none")).contains("m/none");
    }

    @Test
    void hostileNamesAreRefusedByEveryOperationAndCreateNothing() throws IOException {
        List<String> hostile = List.of("", "..", "../x", "a/../b", "a/..", ".", "a/./b", "a//b", "/a", "a/",
                "/", ".hidden", "a/.hidden", "a\\b", "a b", "a\u0000b", "a:b", "ä");
        for (String name : hostile) {
            for (NameUse use : NameUse.values()) {
                Throwable t = catchThrowable(() -> use.apply(this, name));
                assertThat(t).as(use + " of \"" + name + "\"").isInstanceOf(IllegalArgumentException.class);
            }
        }
        for (String prefix : List.of("..", "../", "a//", "/", "/a/", "a/../", ".x/", "a", "a/b")) {
            assertThatThrownBy(() -> storage.list(prefix)).as("list of \"" + prefix + "\"")
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(storage.list("")).as("nothing was created").isEmpty();
        assertThat(storage.stat("x")).isEmpty();
    }

    private enum NameUse {
        STAT, STAT_LISTED, OPEN_READ, PUT_IF_ABSENT, CREATE, REOPEN, DELETE;

        void apply(StorageContractTest test, String name) throws IOException {
            Storage s = test.storage;
            switch (this) {
                case STAT -> s.stat(name);
                case STAT_LISTED -> s.statListed(name);
                case OPEN_READ -> test.track(s.openRead(name));
                case PUT_IF_ABSENT -> s.putIfAbsent(name, new byte[] {1});
                case CREATE -> test.track(s.create(name));
                case REOPEN -> test.track(s.reopen(name, 0));
                case DELETE -> s.delete(name);
                default -> throw new AssertionError(this);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Random bytes from this test's seed. */
    protected final byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** What the racer {@code who} puts under {@code name}: its own, and long enough to span more than a packet. */
    static byte[] contentOf(String who, String name) {
        String line = who + " wrote " + name + "\n";
        return line.repeat(1 + 20_000 / line.length()).getBytes(StandardCharsets.UTF_8);
    }

    /** The whole current content of {@code name}. */
    protected static byte[] read(Storage s, String name) throws IOException {
        try (ReadableObject in = s.openRead(name)) {
            return readAll(in);
        }
    }

    private static byte[] readAll(ReadableObject in) throws IOException {
        long size = in.size();
        assertThat(size).isLessThan(Integer.MAX_VALUE);
        return readFully(in, 0, (int) size);
    }

    private static byte[] readFully(ReadableObject in, long position, int length) throws IOException {
        byte[] into = new byte[length];
        int at = 0;
        while (at < length) {
            int n = in.read(position + at, into, at, length - at);
            assertThat(n).as("a read below a size once returned is never short").isPositive();
            at += n;
        }
        return into;
    }

    /** Waits until {@code s} reads {@code name} as exactly {@code content}. */
    protected static void awaitContent(Storage s, String name, byte[] content) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EVENTUALLY_MILLIS);
        while (true) {
            Optional<ObjectVersion> v = s.stat(name);
            if (v.isPresent() && v.get().size() == content.length) {
                assertThat(read(s, name)).as(name).isEqualTo(content);
                return;
            }
            assertThat(v.map(ObjectVersion::size).orElse(0L)).as(name + " grows towards its content")
                    .isLessThanOrEqualTo(content.length);
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " never became visible whole: " + v);
            }
            Thread.sleep(20);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}

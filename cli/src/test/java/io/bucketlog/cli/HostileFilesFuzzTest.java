package io.bucketlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bucketlog.BucketlogException;
import io.bucketlog.Compression;
import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.Cursor;
import io.bucketlog.reader.QueryResult;
import io.bucketlog.reader.TailIterator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random and mutated bucket, index, footer and {@code stream.conf} files fed to query, latest,
 * tail and verify, for compressed and uncompressed streams. Every reader finishes within a time
 * bound per file, returns only events that were written (each once), and whatever damage a query
 * reports, verify reports too.
 */
class HostileFilesFuzzTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Map<Compression, Path> PRISTINE = new EnumMap<>(Compression.class);
    private static final Map<Compression, Map<EventId, Event>> WRITTEN = new EnumMap<>(Compression.class);

    enum Target { BUCKET, FOOTER, INDEX, STREAM_CONF, NEW_BUCKET, NEW_INDEX }

    enum Mutation { FLIP, TRUNCATE, REPLACE, APPEND_FAKE_FRAMES }

    private static synchronized Path pristine(Compression compression) throws IOException {
        Path dir = PRISTINE.get(compression);
        if (dir == null) {
            dir = Files.createTempDirectory("fuzz-" + compression);
            try (Store s = Store.open(dir)) {
                s.createStream("s", StreamConfig.builder().bucketBytes(64 << 10).blockBytes(1024)
                        .compression(compression).build());
                long now = System.currentTimeMillis() * 1_000_000L;
                for (int writer = 0; writer < 2; writer++) {
                    try (Writer w = s.writer(WriterOptions.builder().closeOnJvmShutdown(false).build())) {
                        for (int i = 0; i < 400; i++) {
                            w.append("s", "k" + i % 5, now - 2_000_000_000L + i * 1000L + writer,
                                    Map.of("n", Integer.toString(i)), ("body " + writer + "/" + i).getBytes());
                        }
                    }
                }
            }
            Map<EventId, Event> written = new HashMap<>();
            try (BucketlogReader r = BucketlogReader.open(dir)) {
                for (Event e : r.query("s").list()) {
                    written.put(e.id(), e);
                }
            }
            assertThat(written).hasSize(800);
            PRISTINE.put(compression, dir);
            WRITTEN.put(compression, written);
        }
        return dir;
    }

    @AfterContainer
    static void removePristine() throws IOException {
        for (Path dir : PRISTINE.values()) {
            delete(dir);
        }
        PRISTINE.clear();
    }

    @Property(tries = 60)
    void readersFinishReturnOnlyWrittenEventsAndVerifySeesWhatQueriesSee(
            @ForAll Compression compression, @ForAll Target target, @ForAll Mutation mutation,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int seed) throws Exception {
        Path store = Files.createTempDirectory("fuzz-try");
        try {
            StoreCopies.copy(pristine(compression), store);
            Map<EventId, Event> written = WRITTEN.get(compression);
            Random random = new Random(seed);
            Path file = target(store, target, random);
            mutate(file, target, mutation, random);
            assertTimeoutPreemptively(BOUND, () -> check(store, target, written));
        } finally {
            delete(store);
        }
    }

    private static void check(Path store, Target target, Map<EventId, Event> written) {
        List<CorruptionReport> damage = new ArrayList<>();
        try (BucketlogReader reader = BucketlogReader.open(store)) {
            List<Event> all = new ArrayList<>();
            try (QueryResult r = reader.query("s").iterator()) {
                r.forEachRemaining(all::add);
                damage.addAll(r.corruptions());
            }
            assertOnlyWritten(all, written);
            assertThat(new HashSet<>(all.stream().map(Event::id).toList())).hasSize(all.size());
            assertOnlyWritten(reader.latest("s", "k1", 20), written);
            Event first = written.values().stream().min(Comparator.comparing(Event::id,
                    Comparator.comparing(EventId::writerId).thenComparingLong(EventId::sequence)))
                    .orElseThrow();
            List<Event> tailed = new ArrayList<>();
            try (TailIterator tail = reader.tail("s").from(Cursor.of(first)).iterator()) {
                for (Event e; (e = tail.poll(Duration.ofMillis(200))) != null; ) {
                    tailed.add(e);
                }
            }
            assertOnlyWritten(tailed, written);
            assertThat(new HashSet<>(tailed.stream().map(Event::id).toList())).hasSize(tailed.size());
        } catch (BucketlogException e) {
            // A damaged stream.conf is a clear error naming it; nothing else may fail a read.
            assertThat(target).isEqualTo(Target.STREAM_CONF);
            assertThat(e.getMessage()).contains("stream.conf");
            damage.add(new CorruptionReport(store.toString(), -1, e.getMessage()));
        }
        StringWriter out = new StringWriter();
        int verify = BucketlogCli.run(new String[] {"verify", store.toString()},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertThat(verify).as(out.toString()).isIn(0, 1);
        if (!damage.isEmpty()) {
            assertThat(verify).as("query reported " + damage + "; verify said " + out).isEqualTo(1);
        }
    }

    private static void assertOnlyWritten(List<Event> events, Map<EventId, Event> written) {
        for (Event e : events) {
            assertThat(written.get(e.id())).as("a returned event was written as returned").isEqualTo(e);
        }
    }

    private static List<Path> files(Path store, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(store.resolve("s"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static Path target(Path store, Target target, Random random) throws IOException {
        return switch (target) {
            case BUCKET, FOOTER -> pick(files(store, ".bkt"), random);
            case INDEX -> pick(files(store, ".idx"), random);
            case STREAM_CONF -> store.resolve("s").resolve("stream.conf");
            case NEW_BUCKET -> files(store, ".bkt").get(0).resolveSibling(
                    files(store, ".bkt").get(0).getFileName().toString().replaceFirst("-[0-9a-z]+-",
                            "-zzzzzzzzzzzzz-"));
            case NEW_INDEX -> files(store, ".idx").get(0).resolveSibling("index-zzzzzzzzzzzzz.idx");
        };
    }

    private static Path pick(List<Path> files, Random random) {
        return files.get(random.nextInt(files.size()));
    }

    /** Bytes that look like frames to a scanner: magics and plausible lengths among noise. */
    private static byte[] fakeFrames(Random random, int n) {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= Frame.HEADER_BYTES) {
            b.putInt(random.nextBoolean() ? Frame.BLOCK_MAGIC : Frame.ENTRY_MAGIC)
                    .putInt(random.nextInt(Math.max(1, b.remaining()))).putInt(random.nextInt());
            int noise = Math.min(b.remaining(), random.nextInt(40));
            byte[] junk = new byte[noise];
            random.nextBytes(junk);
            b.put(junk);
        }
        return b.array();
    }

    private static void mutate(Path file, Target target, Mutation mutation, Random random)
            throws IOException {
        byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        byte[] out;
        switch (mutation) {
            case FLIP -> {
                out = bytes.length == 0 ? fakeFrames(random, 4096) : bytes.clone();
                int from = target == Target.FOOTER ? out.length * 3 / 4 : 0;
                for (int i = 1 + random.nextInt(8); i > 0 && out.length > from; i--) {
                    out[from + random.nextInt(out.length - from)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case TRUNCATE -> {
                int from = target == Target.FOOTER ? bytes.length * 3 / 4 : 0;
                out = java.util.Arrays.copyOf(bytes, from + random.nextInt(Math.max(1, bytes.length - from)));
            }
            case REPLACE -> {
                out = new byte[random.nextInt(64 * 1024)];
                random.nextBytes(out);
                if (random.nextBoolean() && bytes.length >= 64 && out.length >= 64) {
                    System.arraycopy(bytes, 0, out, 0, 64); // keep a valid header
                }
            }
            case APPEND_FAKE_FRAMES -> {
                byte[] tail = fakeFrames(random, 1 + random.nextInt(256 * 1024));
                out = java.util.Arrays.copyOf(bytes, bytes.length + tail.length);
                System.arraycopy(tail, 0, out, bytes.length, tail.length);
            }
            default -> throw new AssertionError(mutation);
        }
        Files.write(file, out);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

}

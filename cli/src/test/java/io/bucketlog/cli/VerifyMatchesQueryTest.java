package io.bucketlog.cli;

import static io.bucketlog.cli.Run.cli;
import static io.bucketlog.cli.StoreCopies.flip;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each kind of damage a query meets, {@code verify} reports too: both exit 1, and the query still
 * returns every intact event once.
 */
class VerifyMatchesQueryTest {
    private static final int EVENTS = 300;
    private static final StreamConfig CONFIG = StreamConfig.builder().bucketBytes(1 << 20).build();

    @TempDir
    Path store;

    @BeforeEach
    void write() {
        try (Store s = Store.open(store);
             Writer w = s.writer(WriterOptions.builder().closeOnJvmShutdown(false).build())) {
            s.createStream("app", CONFIG);
            s.createStream("other", CONFIG);
            long now = System.currentTimeMillis() * 1_000_000L;
            for (int i = 0; i < EVENTS; i++) {
                w.append("app", "k" + i % 7, now - 1_000_000_000L + i, Map.of(), ("app " + i).getBytes());
                w.append("other", "k", now - 1_000_000_000L + i, Map.of(), ("other " + i).getBytes());
            }
            assertThat(w.flush(Duration.ofSeconds(20))).isTrue();
        } // closing seals the buckets
    }

    /** Ways to damage a store; each keeps some of "app" readable. */
    enum Damage {
        HEALTHY, CUT_TO_HALF, TRAILER_FLIPPED, FOOTER_FLIPPED, STREAM_CONF_A_DIRECTORY,
        STREAM_CONF_LINKED_TO_DEV_ZERO, COPIED_INTO_ANOTHER_DAY, COPIED_INTO_ANOTHER_STREAM,
        SUPERSEDED_BY_A_MISSING_BUCKET, STREAM_CONF_EDITED_TO_ANOTHER_WIDTH,
        STREAM_CONF_EDITED_TO_ANOTHER_INDEX_WINDOW
    }

    private Path appBucket() throws IOException {
        try (Stream<Path> files = Files.walk(store.resolve("app"))) {
            return files.filter(f -> f.toString().endsWith(".bkt")).findFirst().orElseThrow();
        }
    }

    private void apply(Damage d) throws IOException {
        Path bucket = appBucket();
        Path conf = store.resolve("app").resolve("stream.conf");
        StoreLayout.BucketName name = StoreLayout.parseBucketName(bucket.getFileName().toString());
        long day = CONFIG.indexWindowNanos();
        switch (d) {
            case HEALTHY -> { }
            case CUT_TO_HALF -> {
                try (FileChannel ch = FileChannel.open(bucket, StandardOpenOption.WRITE)) {
                    ch.truncate(ch.size() / 2);
                }
            }
            case TRAILER_FLIPPED -> flip(bucket, Files.size(bucket) - 5);
            case FOOTER_FLIPPED -> flip(bucket, Files.size(bucket) - 40);
            case STREAM_CONF_A_DIRECTORY -> {
                Files.delete(conf);
                Files.createDirectory(conf);
            }
            case STREAM_CONF_LINKED_TO_DEV_ZERO -> {
                Files.delete(conf);
                Files.createSymbolicLink(conf, Path.of("/dev/zero"));
            }
            case COPIED_INTO_ANOTHER_DAY -> {
                Path next = Files.createDirectories(store.resolve("app")
                        .resolve(StoreLayout.windowName(Math.floorDiv(name.windowStart(), day) * day + day)));
                Files.copy(bucket, next.resolve(bucket.getFileName()));
            }
            case COPIED_INTO_ANOTHER_STREAM -> Files.copy(bucket, store.resolve("other")
                    .resolve(bucket.getParent().getFileName()).resolve(bucket.getFileName()));
            case SUPERSEDED_BY_A_MISSING_BUCKET -> {
                long window = Math.floorDiv(name.windowStart(), day) * day;
                ByteSink out = new ByteSink(256);
                new IndexHeader(window, day, "brigade000000", "app").writeTo(out);
                int at = Frame.open(out);
                new IndexEntry.Superseded(List.of(new IndexEntry.BucketRef(name.writerId(),
                        name.windowStart(), name.sequence())),
                        new IndexEntry.BucketRef("brigade000000", name.windowStart(), 0)).writeTo(out);
                Frame.close(out, at, Frame.ENTRY_MAGIC);
                Files.write(bucket.resolveSibling("index-brigade000000.idx"), out.toByteArray());
            }
            case STREAM_CONF_EDITED_TO_ANOTHER_WIDTH -> Files.writeString(conf, Files.readString(conf)
                    .replaceAll("bucket\\.width\\.seconds=\\d+", "bucket.width.seconds=60"));
            case STREAM_CONF_EDITED_TO_ANOTHER_INDEX_WINDOW -> Files.writeString(conf, Files
                    .readString(conf).replace("index.window.seconds=86400", "index.window.seconds=3600"));
            default -> throw new AssertionError(d);
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void verifyReportsWhatAQueryMeets(Damage damage) throws IOException {
        apply(damage);
        Run verify = cli("verify", store.toString());
        Run app = cli("query", store.toString(), "--stream", "app");
        Run other = cli("query", store.toString(), "--stream", "other");
        int expected = damage == Damage.HEALTHY ? 0 : 1;
        assertThat(verify.code()).as("verify: " + verify.out()).isEqualTo(expected);
        assertThat(Math.max(app.code(), other.code())).as("query: " + app.err() + other.err())
                .isEqualTo(expected);
        if (damage != Damage.HEALTHY) {
            assertThat(verify.out()).contains("DAMAGED ");
        }
        if (damage == Damage.STREAM_CONF_EDITED_TO_ANOTHER_WIDTH) {
            assertThat(verify.out()).containsOnlyOnce("was written with PT1H");
            assertThat(app.err()).contains("stream.conf").contains("was written with PT1H");
        }
        if (damage == Damage.STREAM_CONF_EDITED_TO_ANOTHER_INDEX_WINDOW) {
            assertThat(verify.out()).containsOnlyOnce("index buckets were written with PT24H");
            assertThat(app.err()).contains("stream.conf").contains("index buckets were written with PT24H");
            // A bounded range computes its window directories from the index window.
            Run since = cli("query", store.toString(), "--stream", "app", "--since", "1h");
            assertThat(since.lines()).hasSize(EVENTS);
        }
        // Never an event twice, never another stream's.
        assertThat(app.lines().size()).isLessThanOrEqualTo(EVENTS);
        assertThat(app.out()).doesNotContain("other ");
        assertThat(other.lines().size()).isEqualTo(EVENTS);
        assertThat(other.out()).doesNotContain("app ");
        switch (damage) {
            case HEALTHY, COPIED_INTO_ANOTHER_DAY, COPIED_INTO_ANOTHER_STREAM,
                    SUPERSEDED_BY_A_MISSING_BUCKET, TRAILER_FLIPPED, FOOTER_FLIPPED,
                    STREAM_CONF_EDITED_TO_ANOTHER_WIDTH, STREAM_CONF_EDITED_TO_ANOTHER_INDEX_WINDOW ->
                    assertThat(app.lines().size()).isEqualTo(EVENTS);
            default -> { }
        }
    }
}

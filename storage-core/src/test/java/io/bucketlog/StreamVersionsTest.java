package io.bucketlog;

import static io.bucketlog.Fixtures.HOUR;
import static io.bucketlog.Fixtures.flush;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static io.bucketlog.Fixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stream's settings changed by a redeploy: new buckets take them, old ones stay readable. */
class StreamVersionsTest {
    private static final long MINUTE = 60 * 1_000_000_000L;

    @TempDir
    Path dir;

    /**
     * A seal grace of two days, so that events of the last few hours are never late whatever the
     * time of day: a few hours after midnight UTC they lie in the previous day's index window,
     * ended over an hour ago, and would go to its late bucket, a day wide.
     */
    private static WriterOptions writerOptions() {
        return options().sealGrace(Duration.ofDays(2)).build();
    }

    private static StreamConfig config(Duration width, Compression compression) {
        return StreamConfig.builder().bucketBytes(1 << 20).bucketWidth(width).compression(compression).build();
    }

    @Test
    void narrowerBucketsAfterAnUpdateDoNotHideTheWiderOldOnesFromARangeQuery() throws IOException {
        long hour = Math.floorDiv(nowNanos(), HOUR) * HOUR - 3 * HOUR;
        StreamConfig wide = config(Duration.ofHours(1), Compression.LZ4);
        StreamConfig narrow = config(Duration.ofMinutes(10), Compression.NONE);
        try (Store store = Store.open(dir)) {
            store.createStream("app", wide);
            try (Writer w = store.writer(writerOptions())) {
                w.append("app", "k", hour + 30 * MINUTE, Map.of(), bytes("old, in a 1h bucket"));
                flush(w);
            }
            StreamUpdate update = store.updateStream("app", narrow);
            assertThat(update.kept()).isEmpty();
            assertThat(update.config()).isEqualTo(narrow);
            assertThat(store.streamConfig("app")).contains(narrow);
            try (Writer w = store.writer(writerOptions())) {
                w.append("app", "k", hour + 35 * MINUTE, Map.of(), bytes("new, in a 10m bucket"));
                flush(w);
            }
            // The old bucket starts at hour+0; with only the new width in mind a reader would
            // think it ends at hour+10m and skip it for a query from hour+25m.
            List<Event> got = readAll(store, new ScanRequest("app", null, hour + 25 * MINUTE,
                    hour + 40 * MINUTE, Direction.FORWARD));
            assertThat(got).extracting(Event::bodyText)
                    .containsExactly("old, in a 1h bucket", "new, in a 10m bucket");
        }
        assertThat(Files.isRegularFile(dir.resolve("app").resolve("stream.conf.2"))).isTrue();
        List<BucketHeader> headers = headers();
        assertThat(headers).extracting(BucketHeader::windowWidth)
                .containsExactlyInAnyOrder(HOUR, 10 * MINUTE);
        assertThat(headers).filteredOn(h -> h.windowWidth() == HOUR)
                .extracting(BucketHeader::codec).containsExactly(Compression.LZ4);
        assertThat(headers).filteredOn(h -> h.windowWidth() == 10 * MINUTE)
                .extracting(BucketHeader::codec).containsExactly(Compression.NONE);
        try (Store reopened = Store.open(dir)) {
            assertThat(reopened.streamConfig("app")).contains(narrow);
            assertThat(readAll(reopened, ScanRequest.all("app"))).hasSize(2);
        }
    }

    @Test
    void aStreamConfEditedToNarrowerBucketsIsReportedOnceAndHidesNoEventFromARangeQuery()
            throws IOException {
        long hour = Math.floorDiv(nowNanos(), HOUR) * HOUR - 3 * HOUR;
        try (Store store = Store.open(dir)) {
            store.createStream("app", config(Duration.ofHours(1), Compression.LZ4));
            try (Writer w = store.writer(writerOptions())) { // closed: its bucket is sealed
                w.append("app", "k", hour + 5 * MINUTE, Map.of(), bytes("sealed, before"));
                w.append("app", "k", hour + 35 * MINUTE, Map.of(), bytes("sealed, in range"));
            }
        }
        try (Store store = Store.open(dir); Writer w = store.writer(writerOptions())) {
            // Still open when read: no index summary, only its name and header say its range.
            w.append("app", "k", hour + HOUR + 5 * MINUTE, Map.of(), bytes("open, early"));
            w.append("app", "k", hour + HOUR + 50 * MINUTE, Map.of(), bytes("open, late"));
            flush(w);
            Path conf = dir.resolve("app").resolve("stream.conf");
            String text = Files.readString(conf);
            assertThat(text).contains("bucket.width.seconds=3600");
            Files.writeString(conf, text.replace("bucket.width.seconds=3600", "bucket.width.seconds=60"));
            try (Store edited = Store.open(dir)) {
                assertThat(edited.streamConfig("app").orElseThrow().bucketWidth())
                        .isEqualTo(Duration.ofMinutes(1));
                List<Event> got = new ArrayList<>();
                // From 30 min into each bucket: by the edited width, both would have ended by then.
                try (EventScan scan = edited.scan(new ScanRequest("app", null, hour + 30 * MINUTE,
                        hour + 2 * HOUR, Direction.FORWARD))) {
                    scan.forEachRemaining(got::add);
                    assertThat(scan.corruptions()).singleElement().satisfies(r -> {
                        assertThat(r.location()).isEqualTo(conf.toString());
                        assertThat(r.problem()).contains("stream.conf was edited");
                    });
                }
                assertThat(got).extracting(Event::bodyText)
                        .containsExactly("sealed, in range", "open, early", "open, late");
                List<Event> backward = new ArrayList<>();
                try (EventScan scan = edited.scan(new ScanRequest("app", null, hour + 30 * MINUTE,
                        hour + 2 * HOUR, Direction.BACKWARD))) {
                    scan.forEachRemaining(backward::add);
                }
                assertThat(backward).extracting(Event::bodyText)
                        .containsExactly("open, late", "open, early", "sealed, in range");
                try (EventScan scan = edited.scan(new ScanRequest("app", null,
                        hour + HOUR + 30 * MINUTE, hour + 2 * HOUR, Direction.FORWARD))) {
                    List<Event> late = new ArrayList<>();
                    scan.forEachRemaining(late::add);
                    assertThat(late).extracting(Event::bodyText).containsExactly("open, late");
                    assertThat(scan.corruptions()).singleElement()
                            .satisfies(r -> assertThat(r.location()).isEqualTo(conf.toString()));
                }
            }
        }
    }

    @Test
    void theIndexWindowAndABucketWidthThatDoesNotDivideItKeepTheirStoredValues() {
        StreamConfig stored = config(Duration.ofHours(1), Compression.LZ4);
        StreamConfig asked = StreamConfig.builder().bucketBytes(2 << 20).bucketWidth(Duration.ofDays(2))
                .indexWindow(Duration.ofDays(2)).build();
        try (Store store = Store.open(dir)) {
            store.createStream("app", stored);
            StreamUpdate update = store.updateStream("app", asked);
            assertThat(update.kept()).extracting(StreamUpdate.Kept::setting)
                    .containsExactly("bucketWidth", "indexWindow");
            assertThat(update.kept().get(1).stored()).isEqualTo(Duration.ofDays(1));
            assertThat(update.kept().get(1).requested()).isEqualTo(Duration.ofDays(2));
            assertThat(update.config().bucketBytes()).isEqualTo(2 << 20); // what can change, did
            assertThat(update.config().bucketWidth()).isEqualTo(Duration.ofHours(1));
            assertThat(update.config().indexWindow()).isEqualTo(Duration.ofDays(1));
            // Asking again changes nothing and writes no further version.
            assertThat(store.updateStream("app", asked).config()).isEqualTo(update.config());
        }
        assertThat(Files.exists(dir.resolve("app").resolve("stream.conf.3"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {3600, 7 * 86400})
    void aStreamConfEditedToAnotherIndexWindowIsReportedAndEventsAreStillReadAndWrittenByTheStoredOne(
            long editedSeconds) throws IOException {
        long day = 24 * HOUR;
        long twoDaysAgo = Math.floorDiv(nowNanos(), day) * day - 2 * day;
        try (Store store = Store.open(dir)) {
            store.createStream("app", config(Duration.ofHours(1), Compression.LZ4));
            try (Writer w = store.writer(writerOptions())) {
                w.append("app", "k", twoDaysAgo + 10 * HOUR, Map.of(), bytes("first day, 10:00"));
                w.append("app", "k", twoDaysAgo + 15 * HOUR, Map.of(), bytes("first day, 15:00"));
                w.append("app", "k", twoDaysAgo + day + 3 * HOUR, Map.of(), bytes("second day, 03:00"));
            }
        }
        Path conf = dir.resolve("app").resolve("stream.conf");
        Files.writeString(conf, Files.readString(conf).replace("index.window.seconds=86400",
                "index.window.seconds=" + editedSeconds));
        try (Store edited = Store.open(dir)) {
            assertThat(edited.streamConfig("app").orElseThrow().indexWindow()).isEqualTo(Duration.ofDays(1));
            try (Writer w = edited.writer(options().build())) {
                w.append("app", "k", twoDaysAgo + day + 5 * HOUR, Map.of(), bytes("second day, 05:00"));
            }
            List<Event> got = new ArrayList<>();
            // A bounded range: its window directories are computed from the index window.
            try (EventScan scan = edited.scan(new ScanRequest("app", null, twoDaysAgo + 9 * HOUR,
                    twoDaysAgo + day + 6 * HOUR, Direction.FORWARD))) {
                scan.forEachRemaining(got::add);
                assertThat(scan.corruptions()).singleElement().satisfies(r -> {
                    assertThat(r.location()).isEqualTo(conf.toString());
                    assertThat(r.problem()).contains("index window of PT" + editedSeconds / 3600 + "H")
                            .contains("index buckets were written with PT24H");
                });
            }
            assertThat(got).extracting(Event::bodyText).containsExactly("first day, 10:00",
                    "first day, 15:00", "second day, 03:00", "second day, 05:00");
        }
        // The event written after the edit went where readers look: its day's directory.
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".bkt"))
                    .map(f -> StoreLayout.parseWindowName(f.getParent().getFileName().toString())))
                    .isNotEmpty().allSatisfy(start -> assertThat(start % day).isZero());
        }
    }

    @Test
    void aReaderOpenedBeforeAnUpdateSeesTheNewVersion() {
        try (Store writerSide = Store.open(dir); Store readerSide = Store.open(dir)) {
            writerSide.createStream("app", config(Duration.ofHours(1), Compression.LZ4));
            assertThat(readerSide.streamConfig("app")).isPresent();
            StreamConfig narrow = config(Duration.ofMinutes(5), Compression.LZ4);
            writerSide.updateStream("app", narrow);
            assertThat(readerSide.streamConfig("app")).contains(narrow);
        }
    }

    private List<BucketHeader> headers() throws IOException {
        List<BucketHeader> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".bkt")).toList()) {
                assertThat(StoreLayout.parseBucketName(p.getFileName().toString())).isNotNull();
                byte[] b = Files.readAllBytes(p);
                out.add(BucketHeader.readFrom(new ByteSource(b, 0, b.length)));
            }
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.bucketlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.store.StoreLayout;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by the version-1 block format ({@code src/test/resources/v1-store}, made by
 * {@link V1StoreGenerator}: sealed, rotated, late and crashed buckets, LZ4 and uncompressed, a torn
 * tail) reads back exactly as {@link V1StoreContent} says it was written, with each event's id
 * made of its bucket header's writer and its sequence in that writer's append order.
 */
class Version1StoreTest {
    @TempDir
    Path dir;
    private Path store;
    private String sealedWriter;
    private String crashedWriter;

    @BeforeEach
    void copyStore() throws IOException, URISyntaxException {
        Path source = Path.of(getClass().getResource("/v1-store").toURI());
        store = dir.resolve("v1-store");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Files.copy(p, store.resolve(source.relativize(p).toString()));
            }
        }
        Properties writers = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/v1-store-writers.properties")) {
            writers.load(in);
        }
        sealedWriter = writers.getProperty("sealed");
        crashedWriter = writers.getProperty("crashed");
    }

    @Test
    void everyEventOfAVersion1StoreReadsBackExactly() {
        try (Store s = Store.open(store)) {
            for (String stream : List.of(V1StoreContent.LOGS, V1StoreContent.TIMELINE)) {
                List<Event> expected = expected(stream, null);
                assertThat(expected).hasSizeGreaterThan(100);
                assertThat(Fixtures.readAll(s, ScanRequest.all(stream))).as(stream)
                        .containsExactlyElementsOf(expected);
                List<Event> backward = Fixtures.readAll(s, new ScanRequest(stream, null, 0,
                        Long.MAX_VALUE, Direction.BACKWARD));
                List<Event> reversed = new ArrayList<>(expected);
                Collections.reverse(reversed);
                assertThat(backward).as(stream + " backward").containsExactlyElementsOf(reversed);
            }
        }
    }

    @Test
    void aTimelineKeyOfAVersion1StoreReadsBackExactly() {
        try (Store s = Store.open(store)) {
            for (String key : List.of("user-3", "com.example.Auth", "")) {
                String stream = key.startsWith("user") ? V1StoreContent.TIMELINE : V1StoreContent.LOGS;
                List<Event> expected = expected(stream, key);
                assertThat(expected).as(key).isNotEmpty();
                assertThat(Fixtures.readAll(s, new ScanRequest(stream, key, 0, Long.MAX_VALUE,
                        Direction.FORWARD))).as(key).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void theStoreHoldsSealedOpenAndLateBucketsOfBothWritersWithTheirWriterInTheHeader()
            throws IOException {
        List<String> kinds = new ArrayList<>();
        try (Stream<Path> files = Files.walk(store)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".bkt")).toList()) {
                StoreLayout.BucketName name = StoreLayout.parseBucketName(p.getFileName().toString());
                byte[] bytes = Files.readAllBytes(p);
                BucketHeader header = BucketHeader.readFrom(new ByteSource(bytes));
                assertThat(header.writerId()).isEqualTo(name.writerId()).isIn(sealedWriter, crashedWriter);
                kinds.add((name.writerId().equals(sealedWriter) ? "sealed-writer" : "crashed-writer")
                        + (name.late() ? " late" : ""));
            }
        }
        assertThat(kinds).contains("sealed-writer", "sealed-writer late", "crashed-writer",
                "crashed-writer late");
    }

    /** The events of {@code stream} (and {@code key}, unless null) both writers appended, in read order. */
    private List<Event> expected(String stream, String key) {
        List<Event> out = new ArrayList<>();
        for (boolean crashed : new boolean[] {false, true}) {
            String writer = crashed ? crashedWriter : sealedWriter;
            for (int i = 0; i < V1StoreContent.count(crashed); i++) {
                V1StoreContent.Spec e = V1StoreContent.event(crashed, i);
                if (e.stream().equals(stream) && (key == null || e.key().equals(key))) {
                    out.add(new Event(stream, e.key(), e.timestampNanos(), e.attributes(), e.body(),
                            new EventId(writer, i)));
                }
            }
        }
        out.sort(Comparator.comparingLong(Event::timestampNanos).thenComparing(Event::id));
        return out;
    }
}

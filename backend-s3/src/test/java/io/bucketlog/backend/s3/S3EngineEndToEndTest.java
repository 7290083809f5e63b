package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Durability;
import io.bucketlog.Event;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.WriterStats;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.TailIterator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The engine on S3 end to end: a store opened by its {@code s3://} location string (the backend
 * found by the location resolver), a writer on one "host" (its own spool), and queries,
 * {@code latest} and a tail on another host's store of the same location.
 */
class S3EngineEndToEndTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final S3ServerExtension S3 = S3ServerExtension.onFiles();

    private static StreamConfig smallBuckets() {
        return StreamConfig.builder().bucketBytes(16 * 1024).blockBytes(1024)
                .bucketWidth(Duration.ofSeconds(1)).indexWindow(Duration.ofSeconds(4)).build();
    }

    private static WriterOptions writerOptions(Durability durability) {
        return WriterOptions.builder().ringSize(1024).ringFullPolicy(RingFullPolicy.BLOCK)
                .durability(durability).maxOpenBuckets(2).closeOnJvmShutdown(false).build();
    }

    private static void append(Writer w, String key, long ts, String body) {
        assertThat(w.append("s", key, ts, Map.of(), body.getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    private static List<String> bodies(List<Event> events) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            out.add(e.bodyText());
        }
        return out;
    }

    private static List<Event> take(TailIterator tail, int n) {
        List<Event> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < n && System.nanoTime() < deadline) {
            Event e = tail.poll(Duration.ofMillis(100));
            if (e != null) {
                got.add(e);
            }
        }
        return got;
    }

    @Test
    void eventsWrittenOnOneHostAreQueriedAndTailedOnAnother() throws InterruptedException {
        String location = S3Hosts.location(S3.server(), "e2e", S3.dir().resolve("writer-spool"));
        String readerLocation = S3Hosts.location(S3.server(), "e2e", S3.dir().resolve("reader-spool"));
        long now = System.currentTimeMillis() * 1_000_000L;
        List<String> written = new ArrayList<>();
        try (Store store = Store.open(location)) {
            store.createStream("s", smallBuckets());
            try (Writer w = store.writer(writerOptions(Durability.OS))) {
                // now, and late events 10 s back: they go to buckets of an old window, parked
                // and reopened as the writer moves between windows
                for (int i = 0; i < 600; i++) {
                    long ts = i % 5 == 0 ? now - 10 * SECOND + i : now + i;
                    String body = "before-" + i;
                    append(w, "k" + (i % 3), ts, body);
                    written.add(body);
                }
                assertThat(w.flush(WAIT)).isTrue();

                try (BucketlogReader reader = BucketlogReader.builder().locations(readerLocation).jmx(false).build()) {
                    // flushed is in the writer's spool; another host sees it once published
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (reader.query("s").list().size() < written.size() && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    assertThat(bodies(reader.query("s").list())).as("published within the wait")
                            .containsExactlyInAnyOrderElementsOf(written);
                    tailNewEvents(w, reader, now, written);
                }
            }
            // closed: every bucket sealed into one whole object
        }

        try (BucketlogReader reader = BucketlogReader.builder().locations(readerLocation).jmx(false).build()) {
            assertThat(reader.streams()).containsExactly("s");
            List<Event> all = reader.query("s").list();
            assertThat(bodies(all)).as("after sealing").containsExactlyInAnyOrderElementsOf(written);
            List<Event> latest = reader.latest("s", "k1", 5);
            List<Event> expected = reader.query("s").key("k1").backward().limit(5).list();
            assertThat(latest).hasSize(5);
            assertThat(bodies(latest)).isEqualTo(bodies(expected));
            assertThat(latest.get(0).bodyText()).isEqualTo("tailed-298");
            assertThat(bodies(reader.query("s").key("k2").fromNanos(now - 11 * SECOND).toNanos(now).list()))
                    .as("the late events of one key").hasSize(40).allMatch(b -> b.startsWith("before-"));
        }
    }

    /** A tail started once the earlier events are visible sees the new ones, each once; a query too. */
    private static void tailNewEvents(Writer w, BucketlogReader reader, long now, List<String> written) {
        try (TailIterator tail = reader.tail("s").pollInterval(Duration.ofMillis(50)).iterator()) {
            List<String> tailed = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String body = "tailed-" + i;
                append(w, "k" + (i % 3), now + SECOND + i, body);
                tailed.add(body);
            }
            assertThat(w.flush(WAIT)).isTrue();
            List<Event> got = take(tail, tailed.size());
            assertThat(bodies(got)).as("the tail sees every new event once, from another host")
                    .containsExactlyInAnyOrderElementsOf(tailed);
            assertThat(tail.poll(Duration.ofMillis(500))).as("nothing more").isNull();
            assertThat(tail.corruptions()).isEmpty();
            written.addAll(tailed);
            assertThat(bodies(reader.query("s").list())).as("a query while the writer's buckets are open")
                    .containsExactlyInAnyOrderElementsOf(written);
        }
    }

    @Test
    void anOpenBucketIsUploadedAtMostOncePerPublishInterval() throws InterruptedException {
        String location = S3Hosts.location(S3.server(), "e2e-parts", S3.dir().resolve("parts-spool"));
        long now = System.currentTimeMillis() * 1_000_000L;
        long elapsedNanos;
        try (Store store = Store.open(location)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(64L << 20).build()); // one bucket for all
            try (Writer w = store.writer(writerOptions(Durability.OS))) {
                long start = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    append(w, "k", now + i, "small-" + i);
                    assertThat(w.flush(WAIT)).isTrue(); // a block per event
                    Thread.sleep(5);
                }
                Thread.sleep(2 * S3Hosts.PUBLISH_INTERVAL_MS); // the last blocks uploaded too
                elapsedNanos = System.nanoTime() - start;
                try (S3Client c = S3.server().client()) {
                    long parts = c.listObjectsV2Paginator(b -> b.bucket(S3ProxyServer.BUCKET).prefix("e2e-parts/"))
                            .contents().stream().filter(o -> o.key().contains(".bkt.parts/")).count();
                    long intervals = elapsedNanos / (S3Hosts.PUBLISH_INTERVAL_MS * 1_000_000L);
                    assertThat(parts).as("parts of the bucket for 200 blocks in %d publish intervals", intervals)
                            .isPositive().isLessThanOrEqualTo(intervals + 2);
                }
            }
        }
    }

    @Test
    void aSyncWriterWaitsForTheUploadAndLosesNothing() {
        String location = S3Hosts.location(S3.server(), "e2e-sync", S3.dir().resolve("sync-spool"));
        long now = System.currentTimeMillis() * 1_000_000L;
        List<String> written = new ArrayList<>();
        WriterStats stats;
        try (Store store = Store.open(location)) {
            store.createStream("s", smallBuckets());
            try (Writer w = store.writer(writerOptions(Durability.SYNC))) {
                for (int i = 0; i < 200; i++) {
                    String body = "sync-" + i;
                    append(w, "k", now + i, body);
                    written.add(body);
                }
                assertThat(w.flush(WAIT)).isTrue();
                stats = w.stats();
            }
        }
        assertThat(stats.written()).isEqualTo(200);
        assertThat(stats.failed()).isZero();
        try (BucketlogReader reader = BucketlogReader.builder()
                .locations(S3Hosts.location(S3.server(), "e2e-sync", S3.dir().resolve("sync-reader"))).jmx(false).build()) {
            assertThat(bodies(reader.query("s").list())).containsExactlyElementsOf(written);
        }
    }
}

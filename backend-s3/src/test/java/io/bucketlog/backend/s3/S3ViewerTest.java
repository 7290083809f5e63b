package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.viewer.ViewerOptions;
import io.bucketlog.viewer.ViewerServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The web viewer ({@code bucketlog serve}) on an {@code s3://} location, over HTTP. */
class S3ViewerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final S3ServerExtension S3 = S3ServerExtension.inMemory();

    @Test
    void theViewerServesAStoreInAnObjectStoreByItsLocation() throws Exception {
        List<String> written = new ArrayList<>();
        long now = System.currentTimeMillis() * 1_000_000L;
        try (Store store = Store.open(S3Hosts.location(S3.server(), "viewer", S3.dir().resolve("writer-spool")))) {
            store.createStream("app", StreamConfig.builder().bucketBytes(1 << 20).build());
            try (Writer w = store.writer(WriterOptions.builder().closeOnJvmShutdown(false).build())) {
                for (int i = 0; i < 40; i++) {
                    String body = "served-" + i;
                    assertThat(w.append("app", "k" + i % 3, now + i, Map.of("level", "INFO"),
                            body.getBytes(StandardCharsets.UTF_8))).isTrue();
                    written.add(body);
                }
            }
        }
        String location = S3Hosts.location(S3.server(), "viewer", S3.dir().resolve("viewer-spool"));
        awaitPublished(location, written.size());

        try (ViewerServer viewer = ViewerServer.start(ViewerOptions.builder().locations(List.of(location))
                .port(0).build())) {
            HttpClient http = HttpClient.newHttpClient();
            assertThat(get(http, viewer, "/api/streams")).isEqualTo("{\"streams\":[\"app\"]}");
            String page = get(http, viewer, "/api/query?stream=app&limit=100");
            for (String body : written) {
                assertThat(page).contains("\"" + body + "\"");
            }
            assertThat(page).contains("\"corruptions\":0", "\"more\":false");
            String oneKey = get(http, viewer, "/api/query?stream=app&key=k1&limit=100");
            assertThat(oneKey).contains("\"served-1\"", "\"served-4\"").doesNotContain("\"served-0\"");
        }
    }

    /** A writer's close hands its sealed buckets to the publisher; another host sees them soon after. */
    private static void awaitPublished(String location, int events) throws InterruptedException {
        try (BucketlogReader reader = BucketlogReader.builder().locations(location).jmx(false).build()) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (reader.query("app").list().size() < events && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(reader.query("app").list()).hasSize(events);
        }
    }

    private static String get(HttpClient http, ViewerServer viewer, String pathAndQuery) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + viewer.port()
                + pathAndQuery)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}

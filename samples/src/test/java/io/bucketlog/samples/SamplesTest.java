package io.bucketlog.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.LogRecord;
import io.bucketlog.reader.QueryResult;
import io.bucketlog.samples.crm.TimelineApp;
import io.bucketlog.samples.log4j2.OrderServiceLog4j2;
import io.bucketlog.samples.logback.OrderServiceLogback;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplesTest {
    @TempDir
    Path dir;

    @Test
    void log4j2SampleStoresEveryEventItLogged() throws Exception {
        OrderServiceLog4j2.run(dir.toString(), 2000);
        checkOrders("orders", 2000);
    }

    @Test
    void logbackSampleStoresEveryEventItLogged() throws Exception {
        OrderServiceLogback.run(dir.toString(), 2000);
        checkOrders("orders-logback", 2000);
    }

    @Test
    void aBurstIntoASmallRingUnderTheDefaultPolicyLosesNoWarningAndNoError() throws Exception {
        int orders = 50_000;
        System.setProperty("bucketlog.ringBufferSize", "64");
        try {
            OrderServiceLog4j2.run(dir.toString(), orders);
        } finally {
            System.clearProperty("bucketlog.ringBufferSize");
        }
        Orders model = new Orders(42);
        long important = 0;
        for (long i = 1; i <= orders; i++) {
            if (model.next(i).outcome() != Orders.Outcome.OK) {
                important++;
            }
        }
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            List<LogRecord> all = reader.query("orders").stream().map(LogRecord::of).toList();
            assertThat(all).filteredOn(r -> "WARN".equals(r.level()) || "ERROR".equals(r.level()))
                    .hasSize((int) important);
            assertThat(all).hasSizeLessThanOrEqualTo(orders + 2);
        }
    }

    private void checkOrders(String stream, int orders) {
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            List<LogRecord> all = reader.query(stream).stream().map(LogRecord::of).toList();
            // "starting" and "done" around one event per order
            assertThat(all).hasSize(orders + 2);
            assertThat(all.get(0).message()).startsWith("order service starting");
            assertThat(all).filteredOn(r -> "ERROR".equals(r.level()))
                    .isNotEmpty()
                    .allSatisfy(r -> {
                        assertThat(r.thrown().stackTrace()).contains("Caused by: java.io.IOException");
                        assertThat(r.event().key()).isEqualTo(r.context().get("userId"));
                    });
            List<Event> timeline = reader.latest(stream, "user-7", 5);
            assertThat(timeline).isNotEmpty().allMatch(e -> e.key().equals("user-7"));
            for (int i = 1; i < timeline.size(); i++) {
                assertThat(timeline.get(i).timestampNanos()).isLessThanOrEqualTo(timeline.get(i - 1).timestampNanos());
            }
        }
    }

    @Test
    void timelineAppServesTheLatestEventsOfAUser() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TimelineApp.load(dir, 5000, 50, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote 5000 timeline events");
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            // The model: every event of the user, newest first, from a full scan.
            List<Event> user3 = new ArrayList<>();
            try (QueryResult r = reader.query(TimelineApp.STREAM).key("user-3").backward().iterator()) {
                r.forEachRemaining(user3::add);
            }
            assertThat(user3).hasSizeGreaterThan(20);
            var server = TimelineApp.serve(reader, 0);
            try {
                HttpClient http = HttpClient.newHttpClient();
                URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                        + "/users/user-3/timeline?n=20");
                HttpResponse<String> resp = http.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(resp.statusCode()).isEqualTo(200);
                String body = resp.body();
                for (int i = 0; i < 20; i++) {
                    assertThat(body).contains(user3.get(i).bodyText().replace("\"", "\\\""));
                }
                assertThat(body).doesNotContain(user3.get(20).bodyText().replace("\"", "\\\""));
                HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + server.getAddress().getPort() + "/users/user-3/timeline?n=0"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).isEqualTo(400);
            } finally {
                server.stop(0);
            }
        }
    }
}

package io.bucketlog.it.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Spring Boot application with the actuator and {@code bucketlog-metrics-micrometer} on its
 * class path, and no code for either: its writer's meters are under {@code /actuator/metrics},
 * fetched over HTTP from the running application, with each appender.
 */
class SpringMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    @TempDir
    Path scratch;

    @ParameterizedTest
    @EnumSource(SpringChild.Framework.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theWritersMetersAreUnderActuatorMetricsWithNoCode(SpringChild.Framework framework) throws Exception {
        List<String> output = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        Process app = SpringChild.start(framework, dir, scratch, output, ready,
                "--management.endpoints.web.exposure.include=metrics");
        try {
            assertThat(ready.await(120, TimeUnit.SECONDS)).as("the application started: %s", output).isTrue();
            String port = output.stream().filter(l -> l.startsWith("PORT ")).findFirst().orElseThrow()
                    .substring(5);
            String base = "http://127.0.0.1:" + port + "/actuator/metrics";

            List<String> names = new ArrayList<>();
            get(base).get("names").forEach(n -> names.add(n.asText()));
            assertThat(names).contains("bucketlog.writer.appended", "bucketlog.writer.written",
                    "bucketlog.writer.dropped", "bucketlog.writer.rejected", "bucketlog.writer.failed",
                    "bucketlog.writer.bytes", "bucketlog.writer.buckets.opened",
                    "bucketlog.writer.buckets.sealed", "bucketlog.writer.ring.capacity",
                    "bucketlog.writer.ring.remaining", "bucketlog.writer.lag");

            // The application logged its burst before READY: every one of them is appended.
            assertThat(value(base + "/bucketlog.writer.appended?tag=name:app"))
                    .isGreaterThanOrEqualTo(ShutdownApp.STARTUP_EVENTS);
            assertThat(value(base + "/bucketlog.writer.ring.capacity?tag=name:app")).isEqualTo(16384);
            assertThat(value(base + "/bucketlog.writer.dropped?tag=name:app&tag=reason:ring_full")).isZero();
            JsonNode dropped = get(base + "/bucketlog.writer.dropped");
            List<String> reasons = new ArrayList<>();
            dropped.get("availableTags").forEach(t -> {
                if (t.get("tag").asText().equals("reason")) {
                    t.get("values").forEach(v -> reasons.add(v.asText()));
                }
            });
            assertThat(reasons).containsExactlyInAnyOrder("ring_full", "closed");
            assertThat(value(base + "/bucketlog.writer.bytes?tag=name:app")).isPositive();
        } finally {
            app.destroy();
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the application stopped").isTrue();
            app.destroyForcibly();
        }
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private double value(String url) throws Exception {
        return get(url).get("measurements").get(0).get("value").asDouble();
    }
}

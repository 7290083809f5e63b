package io.bucketlog.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketlog.reader.BucketlogReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API over HTTP, as curl would use it: answers, limits and access rules. */
class ViewerApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static Path store;
    static ViewerServer server;

    @BeforeAll
    static void start() throws Exception {
        store = dir.resolve("store");
        ViewerStore.write(store);
        server = ViewerServer.start(options().build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static ViewerOptions.Builder options() {
        return ViewerOptions.builder().directories(List.of(store)).port(0);
    }

    static HttpResponse<String> get(ViewerServer s, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void streamsListsEveryStream() throws Exception {
        JsonNode r = json(get(server, "/api/streams"));
        assertThat(r.get("streams").toString()).isEqualTo("[\"app\",\"hostile\",\"live\",\"orders\"]");
    }

    @Test
    void queryPagesFollowTheCursorNewestFirstAndMatchTheReader() throws Exception {
        Set<String> seen = new HashSet<>();
        String cursor = "";
        long last = Long.MAX_VALUE;
        int pages = 0;
        while (true) {
            JsonNode r = json(get(server, "/api/query?stream=app&level=ERROR&limit=50&cursor=" + enc(cursor)));
            for (JsonNode e : r.get("events")) {
                assertThat(e.get("level").asText()).isEqualTo("ERROR");
                assertThat(seen.add(e.get("id").asText())).isTrue();
                assertThat(e.get("timestampNanos").asLong()).isLessThanOrEqualTo(last);
                last = e.get("timestampNanos").asLong();
            }
            pages++;
            if (!r.get("more").asBoolean()) {
                break;
            }
            cursor = r.get("cursor").asText();
        }
        try (BucketlogReader reader = BucketlogReader.open(store)) {
            assertThat(seen).hasSize(reader.query("app").minLevel("ERROR").list().size());
        }
        assertThat(pages).isGreaterThan(1);
    }

    @Test
    void histogramCountsWhatTheQueryReturns() throws Exception {
        long to = System.currentTimeMillis();
        long from = to - 3_600_000;
        JsonNode h = json(get(server, "/api/histogram?stream=app&bins=60&from=" + from + "&to=" + to));
        long sum = 0;
        for (JsonNode c : h.get("counts")) {
            sum += c.asLong();
        }
        try (BucketlogReader reader = BucketlogReader.open(store)) {
            long expected = reader.query("app").between(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))
                    .list().size();
            assertThat(sum).isEqualTo(expected).isEqualTo(h.get("total").asLong());
        }
        assertThat(h.get("binMillis").asLong()).isEqualTo(60_000);

        JsonNode tenant = json(get(server, "/api/histogram?stream=app&attr=" + enc("ctx.tenant=acme")
                + "&from=" + from + "&to=" + to));
        assertThat(tenant.get("total").asLong()).isPositive().isLessThan(sum);
    }

    @Test
    void regexAndAttributeFiltersSelectEvents() throws Exception {
        JsonNode r = json(get(server, "/api/query?stream=orders&regex=true&limit=500&q="
                + enc("order \\d+ failed for user user-1\\d\\b")));
        assertThat(r.get("events").size()).isPositive();
        for (JsonNode e : r.get("events")) {
            assertThat(e.get("message").asText()).matches("order \\d+ failed for user user-1\\d");
            assertThat(e.get("thrown").get("stackTrace").asText()).contains("Caused by");
        }
        JsonNode prefix = json(get(server, "/api/query?stream=orders&limit=500&attr=" + enc("ctx.userId=user-19*")));
        for (JsonNode e : prefix.get("events")) {
            assertThat(e.get("attributes").get("ctx.userId").asText()).startsWith("user-19");
        }
        assertThat(prefix.get("events").size()).isPositive();
    }

    @Test
    void badRequestsGetAClearErrorAndUnknownStreamsA404() throws Exception {
        HttpResponse<String> noStream = get(server, "/api/query");
        assertThat(noStream.statusCode()).isEqualTo(400);
        assertThat(json(noStream).get("error").asText()).contains("'stream' is required");
        assertThat(json(get(server, "/api/query?stream=app&regex=true&q=" + enc("(")))
                .get("error").asText()).contains("bad regular expression");
        assertThat(get(server, "/api/query?stream=app&from=yesterday").statusCode()).isEqualTo(400);
        assertThat(get(server, "/api/query?stream=app&limit=100000").statusCode()).isEqualTo(400);
        assertThat(get(server, "/api/query?stream=app&cursor=garbage").statusCode()).isEqualTo(400);
        assertThat(get(server, "/api/query?stream=nope").statusCode()).isEqualTo(404);
    }

    @Test
    void aSearchThatWouldReadTooMuchStopsAndSaysSo() throws Exception {
        try (ViewerServer small = ViewerServer.start(options().maxEventsExamined(300).build())) {
            JsonNode r = json(get(small, "/api/query?stream=orders&q=" + enc("no such text")));
            assertThat(r.get("truncated").asBoolean()).isTrue();
            assertThat(r.get("reason").asText()).contains("examined 300 events");
            JsonNode h = json(get(small, "/api/histogram?stream=orders&q=" + enc("no such text")));
            assertThat(h.get("truncated").asBoolean()).isTrue();
            assertThat(h.get("counts").isNull()).isTrue();
            JsonNode byKey = json(get(small, "/api/histogram?stream=orders&key=user-7"));
            assertThat(byKey.get("truncated").asBoolean()).isFalse(); // a few events: within budget
            assertThat(byKey.get("total").asLong()).isPositive();
            JsonNode everything = json(get(small, "/api/histogram?stream=orders"));
            assertThat(everything.get("truncated").asBoolean()).isFalse(); // counted from tables
            assertThat(everything.get("total").asLong()).isEqualTo(ViewerStore.ORDERS + 2);
        }
    }

    @Test
    void theViewerIsReadOnly() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/api/query?stream=app"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void thePageMayRunOnlyItsOwnScripts() throws Exception {
        HttpResponse<String> page = get(server, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'", "script-src 'self';");
        assertThat(page.body()).contains("/webjars/uplot/").doesNotContain("<script>");
        assertThat(get(server, "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutATokenOnlyRequestsAddressedToLocalhostAreAnswered() throws Exception {
        assertThat(rawGet(server, "evil.example:" + server.port())).startsWith("HTTP/1.1 403");
        assertThat(rawGet(server, "localhost:" + server.port())).startsWith("HTTP/1.1 200");
    }

    /** A request with a chosen Host header (java.net.http does not let a caller set it). */
    private static String rawGet(ViewerServer s, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/streams HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void aNonLoopbackBindNeedsATokenAndATokenIsRequiredOnEveryRequest() throws Exception {
        assertThatThrownBy(() -> options().bind("0.0.0.0").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an access token");
        String token = "s3cret-token-0123456789";
        try (ViewerServer guarded = ViewerServer.start(options().token(token).build())) {
            assertThat(get(guarded, "/api/streams").statusCode()).isEqualTo(401);
            assertThat(get(guarded, "/").statusCode()).isEqualTo(401);
            assertThat(get(guarded, "/api/streams", "Authorization", "Bearer wrong-token-0123456789")
                    .statusCode()).isEqualTo(401);
            assertThat(get(guarded, "/api/streams", "Authorization", "Bearer " + token).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> page = get(guarded, "/?token=" + token);
            assertThat(page.statusCode()).isEqualTo(200);
            String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly", "SameSite=Strict");
            assertThat(get(guarded, "/api/streams", "Cookie", cookie.substring(0, cookie.indexOf(';')))
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theTailStreamsNewMatchingEventsAsServerSentEvents() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/tail?stream=app&level=WARN")).header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(readUntil(in, "event: ready")).isTrue();
            try (var s = io.bucketlog.Store.open(store); var w = s.writer(ViewerStore.options())) {
                long now = System.currentTimeMillis() * 1_000_000L;
                w.append("app", "k", now, java.util.Map.of("level", "INFO"), "an info event".getBytes(StandardCharsets.UTF_8));
                w.append("app", "k", now + 1, java.util.Map.of("level", "ERROR"), "an error event".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(readUntil(in, "event: event")).isTrue(); // the INFO event is not sent
            String line = in.readLine();
            assertThat(line).startsWith("data: ");
            JsonNode e = JSON.readTree(line.substring(6));
            assertThat(e.get("message").asText()).isEqualTo("an error event");
        }
    }

    @Test
    void tailsBeyondTheLimitAreRefusedWithAReason() throws Exception {
        try (ViewerServer one = ViewerServer.start(options().maxTails(1).build())) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + one.port()
                    + "/api/tail?stream=app")).header("Accept", "text/event-stream").build();
            HttpResponse<java.io.InputStream> first = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(first.body(), StandardCharsets.UTF_8))) {
                assertThat(readUntil(in, "event: ready")).isTrue();
                HttpResponse<String> second = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
                assertThat(second.body()).contains("event: failure", "already serves 1 live tails");
                assertThat(one.runningTails()).isEqualTo(1);
            }
        }
    }

    private static boolean readUntil(BufferedReader in, String wanted) throws Exception {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}

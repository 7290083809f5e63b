package io.bucketlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bucketlog serve}: started as a user would, in its own JVM, and refused when unsafe. */
class ServeCommandTest {
    @TempDir
    Path dir;

    private Path store() {
        Path store = dir.resolve("store");
        try (Store s = Store.open(store)) {
            s.createStream("app", StreamConfig.builder().bucketBytes(1 << 20).build());
        }
        return store;
    }

    @Test
    void aNonLoopbackBindWithoutATokenIsRefused() {
        StringWriter err = new StringWriter();
        int code = BucketlogCli.run(new String[] {"serve", store().toString(), "--bind", "0.0.0.0"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("needs an access token", "--token");
    }

    @Test
    void serveAnswersOnTheAddressItPrintsWithItsGeneratedTokenAndQuietLogs() throws Exception {
        Path errFile = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BucketlogCli.class.getName(),
                "serve", store().toString(), "--port", "0", "--token")
                .redirectError(errFile.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).isNotNull().contains("read-only");
            Matcher m = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/)\\?token=([A-Za-z0-9_-]+)").matcher(line);
            assertThat(m.find()).as(line).isTrue();
            HttpClient http = HttpClient.newHttpClient();
            URI streams = URI.create(m.group(1) + "api/streams");
            assertThat(http.send(HttpRequest.newBuilder(streams).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(streams)
                    .header("Authorization", "Bearer " + m.group(2)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("{\"streams\":[\"app\"]}");
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook stops the server
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(errFile)).doesNotContain("DEBUG", "INFO");
    }
}

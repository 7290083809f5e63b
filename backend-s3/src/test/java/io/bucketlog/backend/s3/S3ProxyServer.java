package io.bucketlog.backend.s3;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for the tests: S3Proxy (its self-contained jar, which the build copies to
 * target/s3proxy, path in the {@code s3proxy.jar} system property) in a child JVM on
 * 127.0.0.1, storing in a directory (its filesystem blob store), so it can be stopped and
 * started again on the same data. The port is the one the system gave it (S3Proxy binds port 0
 * and logs the port); a restart asks for the same port again.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "bucketlog-test";
    static final String SECRET = "not-a-real-secret-" + Long.toHexString(System.nanoTime());
    static final String BUCKET = "bucketlog-test";
    private static final Pattern STARTED = Pattern.compile("Started .*ServerConnector.*\\{127\\.0\\.0\\.1:(\\d+)\\}");

    private final Path dir;
    private final boolean inMemory;
    private Process process;
    private int port;

    private S3ProxyServer(Path dir, boolean inMemory) {
        this.dir = dir;
        this.inMemory = inMemory;
    }

    /** Starts a server storing in files under {@code dir}, with the test bucket made. */
    static S3ProxyServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, false);
    }

    /**
     * Starts a server storing in memory (S3Proxy's transient blob store), with the test bucket
     * made. Its filesystem blob store cannot answer for a key under another key ({@code x/y/z}
     * when {@code x/y} is an object: 500), which S3 can.
     */
    static S3ProxyServer startInMemory(Path dir) throws IOException, InterruptedException {
        return start(dir, true);
    }

    private static S3ProxyServer start(Path dir, boolean inMemory) throws IOException, InterruptedException {
        S3ProxyServer s = new S3ProxyServer(dir, inMemory);
        Files.createDirectories(dir.resolve("data"));
        s.launch(0);
        try (S3Client c = s.client()) {
            c.createBucket(b -> b.bucket(BUCKET));
        }
        return s;
    }

    private void launch(int wantedPort) throws IOException, InterruptedException {
        Path conf = dir.resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + wantedPort,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET,
                "jclouds.provider=" + (inMemory ? "transient" : "filesystem"),
                "jclouds.filesystem.basedir=" + dir.resolve("data"),
                ""));
        String jar = System.getProperty("s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("S3Proxy's jar not found (system property s3proxy.jar: " + jar
                    + "); the build copies it to target/s3proxy");
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("s3proxy.log");
        process = new ProcessBuilder(List.of(javaBin, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar, "--properties", conf.toString()))
                .redirectErrorStream(true)
                .start();
        CompletableFuture<Integer> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
                 Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                         StandardOpenOption.APPEND)) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        started.complete(Integer.parseInt(m.group(1)));
                    }
                    w.write(line);
                    w.write('\n');
                    w.flush();
                }
            } catch (IOException e) {
                started.completeExceptionally(e);
            }
            started.completeExceptionally(new IOException("S3Proxy exited before it started"));
        }, "s3proxy-output");
        reader.setDaemon(true);
        reader.start();
        try {
            port = started.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("S3Proxy did not start: " + tail(log), e);
        }
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    /** Kills the server (SIGKILL): nothing it has not stored yet is kept. */
    void stop() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts it again on the same port and data. */
    void restart() throws IOException, InterruptedException {
        launch(port);
    }

    /** Options reaching this server with the test's key. */
    S3Options.Builder options(Path spool) {
        return S3Options.builder()
                .endpoint(endpoint())
                .region("us-east-1")
                .pathStyle(true)
                .credentials(new S3Credentials(ACCESS_KEY, SECRET))
                .spoolDirectory(spool);
    }

    /** A plain SDK client on the server, to look at keys behind the backend's back. */
    S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}

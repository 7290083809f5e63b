package io.bucketlog.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * S3Proxy (its self-contained jar, which the build copies to {@code target/s3proxy}) in a child JVM
 * on 127.0.0.1 with a port the system gives it, storing in files under a directory: the S3 server
 * of the harness's S3 rows. Its filesystem store keeps a bucket as a directory, so the bucket is
 * made before it starts.
 */
final class S3ProxyProcess implements AutoCloseable {
    static final String BUCKET = "bucketlog-bench";
    private static final String ACCESS_KEY = "bucketlog-bench";
    private static final Pattern STARTED = Pattern.compile("Started .*ServerConnector.*\\{127\\.0\\.0\\.1:(\\d+)\\}");

    private final Process process;
    private final int port;
    private final String secret = "bench-" + Long.toHexString(System.nanoTime());

    private S3ProxyProcess(Path dir) throws IOException, InterruptedException {
        Path jar = ChildJvm.buildDirectory().resolve("s3proxy").resolve("s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": build the module first");
        }
        Files.createDirectories(dir.resolve("data").resolve(BUCKET));
        Path conf = dir.resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n", "s3proxy.endpoint=http://127.0.0.1:0",
                "s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + secret, "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dir.resolve("data"), ""));
        Path log = dir.resolve("s3proxy.log");
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString(), "--properties", conf.toString()))
                .redirectErrorStream(true).start();
        CompletableFuture<Integer> started = new CompletableFuture<>();
        Thread out = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); var w = Files.newBufferedWriter(log)) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        started.complete(Integer.parseInt(m.group(1)));
                    }
                    w.write(line);
                    w.newLine();
                }
            } catch (IOException e) {
                started.completeExceptionally(e);
            }
            started.completeExceptionally(new IOException("S3Proxy exited; see " + log));
        }, "s3proxy-output");
        out.setDaemon(true);
        out.start();
        try {
            port = started.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("S3Proxy did not start; see " + log, e);
        }
    }

    static S3ProxyProcess start(Path dir) {
        try {
            return new S3ProxyProcess(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start S3Proxy in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The location of {@code prefix} for one host: its own spool, the given publish interval. */
    String location(String prefix, Path spool, int publishMillis) {
        return "s3://" + BUCKET + "/" + prefix + "?endpoint=http://127.0.0.1:" + port
                + "&region=us-east-1&path-style=true&publish-interval-ms=" + publishMillis + "&spool=" + spool;
    }

    /** The JVM options that give a child the server's credentials (the SDK's system properties). */
    List<String> credentials() {
        return List.of("-Daws.accessKeyId=" + ACCESS_KEY, "-Daws.secretAccessKey=" + secret);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}

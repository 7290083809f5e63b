package io.bucketlog.backend.s3;

import java.nio.file.Path;
import java.util.List;

/**
 * Location strings of the test server for the engine's tests, one spool directory per "host",
 * with credentials from the SDK's chain (its system properties), as an application would have.
 */
final class S3Hosts {
    /** How often the tests' storages publish: short, so the tests wait little. */
    static final int PUBLISH_INTERVAL_MS = 200;

    private S3Hosts() {
    }

    static String location(S3ProxyServer server, String prefix, Path spool) {
        return location(server, prefix, spool, "");
    }

    /** With {@code extra} options appended ({@code &key=value...}). */
    static String location(S3ProxyServer server, String prefix, Path spool, String extra) {
        return "s3://" + S3ProxyServer.BUCKET + "/" + prefix + "?endpoint=" + server.endpoint()
                + "&region=us-east-1&path-style=true&publish-interval-ms=" + PUBLISH_INTERVAL_MS
                + "&spool=" + spool + extra;
    }

    /** The JVM options that give a child process the test server's credentials. */
    static List<String> credentialOptions() {
        return List.of("-Daws.accessKeyId=" + S3ProxyServer.ACCESS_KEY,
                "-Daws.secretAccessKey=" + S3ProxyServer.SECRET);
    }

    static void useTestCredentials() {
        System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET);
    }

    static void forgetTestCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }
}

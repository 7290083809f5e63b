package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.bucketlog.spi.StorageProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locations, their options, and secrets kept out of every message. */
class S3LocationTest {
    @TempDir
    Path dir;

    @Test
    void aLocationIsABucketAndAPrefix() {
        assertThat(S3Location.parse("s3://logs")).isEqualTo(new S3Location("logs", ""));
        assertThat(S3Location.parse("s3://logs/")).isEqualTo(new S3Location("logs", ""));
        assertThat(S3Location.parse("s3://logs/prod/eu")).isEqualTo(new S3Location("logs", "prod/eu"));
        assertThat(S3Location.parse("s3://logs/prod/?region=eu-west-1")).isEqualTo(new S3Location("logs", "prod"));
        assertThat(new S3Location("logs", "prod").key("a/b")).isEqualTo("prod/a/b");
        assertThat(new S3Location("logs", "").key("a/b")).isEqualTo("a/b");
        assertThat(new S3Location("logs", "prod")).hasToString("s3://logs/prod");
    }

    @Test
    void badLocationsAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> S3Location.parse("/var/log")).hasMessageContaining("not an s3:// location");
        assertThatThrownBy(() -> S3Location.parse("s3://Bad_Bucket/x")).hasMessageContaining("bucket name");
        assertThatThrownBy(() -> S3Location.parse("s3://logs/a//b")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> S3Location.parse("s3://logs/../b")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> S3Location.parse("s3://logs/.hidden")).hasMessageContaining("prefix");
    }

    @Test
    void optionsComeFromTheLocationsQuery() {
        S3Options o = S3Options.fromQuery("s3://logs/p?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=eu-west-1"
                + "&path-style=true&profile=minio&spool=" + dir + "&spool-limit-mb=16&publish-interval-ms=250");
        assertThat(o.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(o.region()).contains("eu-west-1");
        assertThat(o.pathStyle()).isTrue();
        assertThat(o.profile()).contains("minio");
        assertThat(o.spoolDirectory()).isEqualTo(dir);
        assertThat(o.spoolLimitBytes()).isEqualTo(16L << 20);
        assertThat(o.publishInterval()).isEqualTo(Duration.ofMillis(250));

        S3Options defaults = S3Options.fromQuery("s3://logs/p");
        assertThat(defaults.endpoint()).isEmpty();
        assertThat(defaults.publishInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.spoolDirectory()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "bucketlog-spool"));
    }

    @Test
    void secretsAreRefusedInALocationAndUnknownOptionsNamed() {
        assertThatThrownBy(() -> S3Options.fromQuery("s3://logs/p?secret-key=hunter2"))
                .hasMessageContaining("never part of a location").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> S3Options.fromQuery("s3://logs/p?endpont=x"))
                .hasMessageContaining("unknown option 'endpont'").hasMessageContaining("endpoint");
        assertThatThrownBy(() -> S3Options.fromQuery("s3://logs/p?path-style=maybe"))
                .hasMessageContaining("true or false");
    }

    @Test
    void aSecretNeverAppearsInToStringOrInTheErrorOfARefusedKey() throws Exception {
        String secret = "s3cr3t-" + System.nanoTime();
        S3Credentials c = new S3Credentials("AKIDEXAMPLE", secret);
        assertThat(c.toString()).contains("AKIDEXAMPLE").doesNotContain(secret);
        S3Options o = S3Options.builder().credentials(c).build();
        assertThat(o.toString()).doesNotContain(secret);

        try (S3ProxyServer server = S3ProxyServer.startInMemory(dir.resolve("server"))) {
            S3Options wrong = server.options(dir.resolve("spool")).credentials(new S3Credentials(
                    S3ProxyServer.ACCESS_KEY, secret)).build();
            Throwable t = catchThrowable(
                    () -> S3Storage.open(new S3Location(S3ProxyServer.BUCKET, "p"), wrong));
            assertThat(t).isInstanceOf(IOException.class).hasMessageContaining("s3://" + S3ProxyServer.BUCKET);
            for (Throwable c2 = t; c2 != null; c2 = c2.getCause()) {
                assertThat(String.valueOf(c2.getMessage())).doesNotContain(secret);
            }
        }
    }

    @Test
    void theProviderIsFoundByServiceLoaderAndTakesOnlyS3Locations() {
        StorageProvider p = ServiceLoader.load(StorageProvider.class).stream()
                .filter(s -> s.type() == S3StorageProvider.class).findFirst().orElseThrow().get();
        assertThat(p.scheme()).isEqualTo("s3");
        assertThat(p.accepts("s3://logs/prod")).isTrue();
        assertThat(p.accepts("S3://logs/prod")).isTrue();
        assertThat(p.accepts("logs/s3://x")).isFalse();
        assertThat(p.accepts("/var/log/bucketlog")).isFalse();
        assertThat(p.accepts("file:///var/log")).isFalse();
    }

    @Test
    void aStorageOnlyReadFromLeavesNothingInTheSpool() throws Exception {
        Path spool = dir.resolve("spool");
        try (S3ProxyServer server = S3ProxyServer.startInMemory(dir.resolve("server"));
             S3Storage storage = S3Storage.open(new S3Location(S3ProxyServer.BUCKET, "p"),
                     server.options(spool).build())) {
            assertThat(storage.putIfAbsent("a/b", new byte[] {1, 2, 3})).isTrue();
            assertThat(StoredBytes.read(storage, "a/b")).containsExactly(1, 2, 3);
            assertThat(storage.list("a/")).containsExactly("b");
            assertThat(storage.recover()).isEqualTo(new S3Storage.Recovery(0, 0, 0, 0));
            assertThat(spool).doesNotExist();
        }
        assertThat(spool).doesNotExist();
    }

    @Test
    void aMissingBucketIsAnErrorThatSaysSo() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.startInMemory(dir.resolve("server"))) {
            assertThatThrownBy(() -> S3Storage.open(new S3Location("no-such-bucket", "p"),
                    server.options(dir.resolve("spool")).build()))
                    .isInstanceOf(IOException.class).hasMessageContaining("s3://no-such-bucket: no such bucket");
        }
    }
}

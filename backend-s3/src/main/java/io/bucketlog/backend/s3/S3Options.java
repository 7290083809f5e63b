package io.bucketlog.backend.s3;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How an {@link S3Storage} reaches its object store and spools what it appends.
 *
 * @param endpoint the S3 API's address, for MinIO, Ceph or a test server; empty for AWS
 * @param region the region; empty for the SDK's region provider chain ({@code aws.region},
 *        {@code AWS_REGION}, the profile), and {@code us-east-1} when that has none and an
 *        endpoint is set
 * @param pathStyle whether the bucket goes in the path ({@code http://host/bucket/key}, as
 *        MinIO and Ceph often need) instead of the host name
 * @param credentials an explicit access key; empty for {@link #profile} or the SDK's default
 *        credentials provider chain (environment, {@code aws.accessKeyId} system properties,
 *        profile files, container and instance roles)
 * @param profile a profile of the AWS configuration files to take credentials from; empty for
 *        the default chain
 * @param spoolDirectory where appends wait to be published; a directory per storage location
 *        and writer process is made below it
 * @param spoolLimitBytes how many bytes the spool of one storage may hold; an append beyond
 *        fails with {@link io.bucketlog.spi.SpoolFullException}
 * @param publishInterval how often the background publisher uploads what was appended
 * @param partsGrace how long the parts of a sealed object stay after its whole object is
 *        uploaded, for readers in the middle of them
 * @param partBytes the largest part of a growing object and of a multipart upload; a sealed
 *        object larger than this is uploaded in parts (at least 5 MiB, S3's minimum)
 * @param syncTimeout how long {@code sync()} waits for its bytes to be uploaded before it fails
 * @param requestTimeout how long one attempt of one request may take
 * @param errorListener told of every failed attempt to publish (with the location, never a
 *        secret); the publisher retries with backoff after each
 */
public record S3Options(Optional<URI> endpoint, Optional<String> region, boolean pathStyle,
                        Optional<S3Credentials> credentials, Optional<String> profile, Path spoolDirectory,
                        long spoolLimitBytes, Duration publishInterval, Duration partsGrace, long partBytes,
                        Duration syncTimeout, Duration requestTimeout, Consumer<IOException> errorListener) {
    static final long MIN_PART_BYTES = 5L << 20;
    private static final System.Logger LOG = System.getLogger(S3Storage.class.getName());

    public S3Options {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        Objects.requireNonNull(errorListener, "errorListener");
        if (credentials.isPresent() && profile.isPresent()) {
            throw new IllegalArgumentException("explicit credentials and a profile: give one");
        }
        requirePositive(spoolLimitBytes, "spool limit");
        requirePositive(publishInterval, "publish interval");
        requirePositive(syncTimeout, "sync timeout");
        requirePositive(requestTimeout, "request timeout");
        if (partsGrace.isNegative()) {
            throw new IllegalArgumentException("negative parts grace " + partsGrace);
        }
        if (partBytes < MIN_PART_BYTES || partBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("part size " + partBytes + " outside 5 MiB to 2 GiB");
        }
    }

    private static void requirePositive(long v, String what) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + v);
        }
    }

    private static void requirePositive(Duration d, String what) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    /** The defaults: AWS through the SDK's provider chains, a spool under {@code java.io.tmpdir}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.endpoint = endpoint;
        b.region = region;
        b.pathStyle = pathStyle;
        b.credentials = credentials;
        b.profile = profile;
        b.spoolDirectory = spoolDirectory;
        b.spoolLimitBytes = spoolLimitBytes;
        b.publishInterval = publishInterval;
        b.partsGrace = partsGrace;
        b.partBytes = partBytes;
        b.syncTimeout = syncTimeout;
        b.requestTimeout = requestTimeout;
        b.errorListener = errorListener;
        return b;
    }

    /**
     * The options of a location string: {@code s3://bucket/prefix?endpoint=http://host:9000&region=eu-west-1&path-style=true}.
     * Its keys are {@code endpoint}, {@code region}, {@code path-style}, {@code profile},
     * {@code spool} (a directory), {@code spool-limit-mb} and {@code publish-interval-ms};
     * values are URL-encoded. Secrets are refused: a location is printed in messages and
     * stored in configurations, so credentials come from the provider chain or a profile.
     */
    public static S3Options fromQuery(String location) {
        Builder b = builder();
        int q = location.indexOf('?');
        if (q < 0 || q == location.length() - 1) {
            return b.build();
        }
        for (String pair : location.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            switch (key) {
                case "endpoint" -> b.endpoint(URI.create(value));
                case "region" -> b.region(value);
                case "path-style" -> b.pathStyle(parseBoolean(key, value));
                case "profile" -> b.profile(value);
                case "spool" -> b.spoolDirectory(Path.of(value));
                case "spool-limit-mb" -> b.spoolLimitBytes(parseLong(key, value) << 20);
                case "publish-interval-ms" -> b.publishInterval(Duration.ofMillis(parseLong(key, value)));
                case "access-key", "access-key-id", "secret", "secret-key", "secret-access-key" ->
                        throw new IllegalArgumentException("credentials are never part of a location (it is "
                                + "printed and stored): use the environment, the aws.accessKeyId and "
                                + "aws.secretAccessKey system properties, or a profile");
                default -> throw new IllegalArgumentException("unknown option '" + key + "' in an s3:// location;"
                        + " known: endpoint, region, path-style, profile, spool, spool-limit-mb, publish-interval-ms");
            }
        }
        return b.build();
    }

    private static boolean parseBoolean(String key, String value) {
        return switch (value) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false: " + value);
        };
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number: " + value, e);
        }
    }

    /** Builds {@link S3Options}. */
    public static final class Builder {
        private Optional<URI> endpoint = Optional.empty();
        private Optional<String> region = Optional.empty();
        private boolean pathStyle;
        private Optional<S3Credentials> credentials = Optional.empty();
        private Optional<String> profile = Optional.empty();
        private Path spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"), "bucketlog-spool");
        private long spoolLimitBytes = 1L << 30;
        private Duration publishInterval = Duration.ofSeconds(1);
        private Duration partsGrace = Duration.ofMinutes(1);
        private long partBytes = 8L << 20;
        private Duration syncTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Consumer<IOException> errorListener = e -> LOG.log(System.Logger.Level.WARNING, e.getMessage());

        private Builder() {
        }

        public Builder endpoint(URI endpoint) {
            this.endpoint = Optional.of(endpoint);
            return this;
        }

        public Builder region(String region) {
            this.region = Optional.of(region);
            return this;
        }

        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        public Builder credentials(S3Credentials credentials) {
            this.credentials = Optional.of(credentials);
            return this;
        }

        public Builder profile(String profile) {
            this.profile = Optional.of(profile);
            return this;
        }

        public Builder spoolDirectory(Path spoolDirectory) {
            this.spoolDirectory = spoolDirectory;
            return this;
        }

        public Builder spoolLimitBytes(long spoolLimitBytes) {
            this.spoolLimitBytes = spoolLimitBytes;
            return this;
        }

        public Builder publishInterval(Duration publishInterval) {
            this.publishInterval = publishInterval;
            return this;
        }

        public Builder partsGrace(Duration partsGrace) {
            this.partsGrace = partsGrace;
            return this;
        }

        public Builder partBytes(long partBytes) {
            this.partBytes = partBytes;
            return this;
        }

        public Builder syncTimeout(Duration syncTimeout) {
            this.syncTimeout = syncTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder errorListener(Consumer<IOException> errorListener) {
            this.errorListener = errorListener;
            return this;
        }

        public S3Options build() {
            return new S3Options(endpoint, region, pathStyle, credentials, profile, spoolDirectory, spoolLimitBytes,
                    publishInterval, partsGrace, partBytes, syncTimeout, requestTimeout, errorListener);
        }
    }
}

package io.bucketlog;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The per-stream settings, fixed when the stream is created and stored with it. Reopening a stream
 * with a different configuration is refused ({@link StreamConfigConflictException}) rather than
 * silently mixing layouts.
 *
 * @param bucketBytes target size of a data bucket; a bucket seals once it reaches this size
 * @param bucketWidth maximum event-time width of a bucket; whole seconds, dividing a day or a
 *     multiple of one
 * @param indexWindow event-time width of an index bucket; a multiple of {@code bucketWidth}
 * @param compression block codec
 * @param blockBytes target uncompressed size of a block; smaller blocks make key lookups cheaper,
 *     larger ones compress better
 * @param retention how long whole windows are kept, if limited
 */
public record StreamConfig(
        long bucketBytes,
        Duration bucketWidth,
        Duration indexWindow,
        Compression compression,
        int blockBytes,
        Optional<Duration> retention) {

    public static final Duration DEFAULT_BUCKET_WIDTH = Duration.ofHours(1);
    public static final Duration DEFAULT_INDEX_WINDOW = Duration.ofDays(1);
    public static final int DEFAULT_BLOCK_BYTES = 64 * 1024;
    public static final long MIN_BUCKET_BYTES = 4 * 1024;
    public static final int MIN_BLOCK_BYTES = 512;
    public static final int MAX_BLOCK_BYTES = 16 * 1024 * 1024;

    public StreamConfig {
        Objects.requireNonNull(bucketWidth, "bucketWidth");
        Objects.requireNonNull(indexWindow, "indexWindow");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(retention, "retention");
        if (bucketBytes < MIN_BUCKET_BYTES) {
            throw new IllegalArgumentException(
                    "bucketBytes must be at least " + MIN_BUCKET_BYTES + ", was " + bucketBytes);
        }
        requireWholeSeconds("bucketWidth", bucketWidth);
        requireWholeSeconds("indexWindow", indexWindow);
        if (indexWindow.getSeconds() % bucketWidth.getSeconds() != 0) {
            throw new IllegalArgumentException("indexWindow (" + indexWindow
                    + ") must be a multiple of bucketWidth (" + bucketWidth + ")");
        }
        if (blockBytes < MIN_BLOCK_BYTES || blockBytes > MAX_BLOCK_BYTES) {
            throw new IllegalArgumentException("blockBytes must be between " + MIN_BLOCK_BYTES
                    + " and " + MAX_BLOCK_BYTES + ", was " + blockBytes);
        }
        retention.ifPresent(r -> {
            if (r.isNegative() || r.isZero()) {
                throw new IllegalArgumentException("retention must be positive, was " + r);
            }
        });
    }

    private static void requireWholeSeconds(String name, Duration d) {
        if (d.isNegative() || d.isZero() || d.getNano() != 0) {
            throw new IllegalArgumentException(
                    name + " must be a positive whole number of seconds, was " + d);
        }
        // 100 years: keeps window arithmetic in nanoseconds far from overflow.
        if (d.getSeconds() > 100L * 366 * 24 * 3600) {
            throw new IllegalArgumentException(name + " is too long: " + d);
        }
    }

    /** Width of a bucket window in nanoseconds. */
    public long bucketWidthNanos() {
        return bucketWidth.toNanos();
    }

    /** Width of an index window in nanoseconds. */
    public long indexWindowNanos() {
        return indexWindow.toNanos();
    }

    /** A builder; {@link Builder#bucketBytes(long)} is the one required setting. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link StreamConfig}; every setting but the bucket size has a default. */
    public static final class Builder {
        private long bucketBytes = -1;
        private Duration bucketWidth = DEFAULT_BUCKET_WIDTH;
        private Duration indexWindow = DEFAULT_INDEX_WINDOW;
        private Compression compression = Compression.LZ4;
        private int blockBytes = DEFAULT_BLOCK_BYTES;
        private Duration retention;

        private Builder() {
        }

        public Builder bucketBytes(long bytes) {
            this.bucketBytes = bytes;
            return this;
        }

        public Builder bucketWidth(Duration width) {
            this.bucketWidth = width;
            return this;
        }

        public Builder indexWindow(Duration window) {
            this.indexWindow = window;
            return this;
        }

        public Builder compression(Compression compression) {
            this.compression = compression;
            return this;
        }

        public Builder blockBytes(int bytes) {
            this.blockBytes = bytes;
            return this;
        }

        public Builder retention(Duration retention) {
            this.retention = retention;
            return this;
        }

        public StreamConfig build() {
            if (bucketBytes < 0) {
                throw new IllegalArgumentException("bucketBytes is required");
            }
            return new StreamConfig(bucketBytes, bucketWidth, indexWindow, compression, blockBytes,
                    Optional.ofNullable(retention));
        }
    }
}

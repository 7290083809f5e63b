package io.bucketlog;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Writer} buffers, drops and persists. Every setting has a default suited to logging.
 *
 * @param ringSize slots in the ring buffer between callers and the bucket writer; a power of two
 * @param ringFullPolicy what {@code append} does when the ring is full
 * @param dropBelowPriority with {@link RingFullPolicy#DROP_BELOW}: events below this priority are
 *     dropped when the ring is full, the others wait
 * @param durability when blocks are forced to disk
 * @param fsyncInterval with {@link Durability#INTERVAL}: the longest time between two fsyncs
 * @param maxClockSkew events stamped further than this in the future are rejected (and counted),
 *     so one bad clock cannot open windows that would never close
 * @param sealGrace a bucket seals once its window has ended and it saw no write for this long
 * @param maxOpenBuckets the most data buckets one writer keeps open; beyond it the least recently
 *     written one seals (late events then open a new small bucket)
 * @param maxEventBytes the largest encoded event (key, attributes, body): a larger one is cut to
 *     this size and marked {@link LogAttributes#TRUNCATED}, before anything beyond it is copied;
 *     at most {@link #MAX_EVENT_BYTES}
 * @param maxAttributes the most attributes one event keeps; further ones are left out and the
 *     event is marked {@link LogAttributes#TRUNCATED}
 * @param shutdownTimeout how long {@link Writer#close()} waits for the ring to drain
 * @param closeOnJvmShutdown whether a JVM shutdown hook closes the writer: the hook first waits
 *     (within {@code shutdownTimeout}) while events still arrive, for a logging framework that
 *     stops its appenders in its own hook, and writes what arrives meanwhile
 * @param errorListener where write errors (full disk, unknown stream...) are reported
 * @param lossListener where the counts of lost events are reported: the first loss at once, then
 *     at most every {@code lossReportInterval}, and a final summary at close
 * @param lossReportInterval the shortest time between two loss reports
 * @param blockLinger how long a partly filled block may wait for more events before it is written;
 *     0 writes at the end of every ring batch. A killed process loses what is still in the ring
 *     and at most this much more; {@link Writer#flush} writes at once whatever is waiting
 * @param name the writer's name in JMX ({@code io.bucketlog:type=Writer,name=...}) and metrics;
 *     {@code null} for its {@link Writer#writerId()}. Two open writers with one name get
 *     {@code name}, {@code name-2}, {@code name-3}...
 */
public record WriterOptions(
        int ringSize,
        RingFullPolicy ringFullPolicy,
        int dropBelowPriority,
        Durability durability,
        Duration fsyncInterval,
        Duration maxClockSkew,
        Duration sealGrace,
        int maxOpenBuckets,
        int maxEventBytes,
        int maxAttributes,
        Duration shutdownTimeout,
        boolean closeOnJvmShutdown,
        WriteErrorListener errorListener,
        LossListener lossListener,
        Duration lossReportInterval,
        Duration blockLinger,
        String name) {

    public static final int DEFAULT_RING_SIZE = 64 * 1024;
    public static final int DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_ATTRIBUTES = 256;
    /** The largest {@link #maxAttributes()}. */
    public static final int MAX_ATTRIBUTES = 4096;
    /** The default {@link #lossReportInterval()}. */
    public static final Duration DEFAULT_LOSS_REPORT_INTERVAL = Duration.ofSeconds(10);
    /**
     * The largest {@link #maxEventBytes()}: with the largest block size it keeps every block well
     * under what readers accept ({@code BlockDecoder.MAX_UNCOMPRESSED}, 64 MiB).
     */
    public static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;
    /** The largest {@link #maxClockSkew()}: keeps window arithmetic far from overflow. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofDays(366);
    /** The default {@link #blockLinger()}: long enough to fill blocks at moderate rates. */
    public static final Duration DEFAULT_BLOCK_LINGER = Duration.ofMillis(2);
    /** The largest {@link #blockLinger()}. */
    public static final Duration MAX_BLOCK_LINGER = Duration.ofSeconds(1);

    public WriterOptions {
        Objects.requireNonNull(ringFullPolicy, "ringFullPolicy");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(errorListener, "errorListener");
        Objects.requireNonNull(lossListener, "lossListener");
        requirePositive("lossReportInterval", lossReportInterval);
        if (maxAttributes < 8 || maxAttributes > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("maxAttributes must be between 8 and "
                    + MAX_ATTRIBUTES + ", was " + maxAttributes);
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of two >= 2, was " + ringSize);
        }
        requirePositive("fsyncInterval", fsyncInterval);
        requirePositive("maxClockSkew", maxClockSkew);
        requirePositive("sealGrace", sealGrace);
        requirePositive("shutdownTimeout", shutdownTimeout);
        Objects.requireNonNull(blockLinger, "blockLinger");
        if (blockLinger.isNegative() || blockLinger.compareTo(MAX_BLOCK_LINGER) > 0) {
            throw new IllegalArgumentException("blockLinger must be between 0 and " + MAX_BLOCK_LINGER
                    + ", was " + blockLinger);
        }
        if (maxOpenBuckets < 1) {
            throw new IllegalArgumentException("maxOpenBuckets must be at least 1, was " + maxOpenBuckets);
        }
        if (maxEventBytes < 64 || maxEventBytes > MAX_EVENT_BYTES) {
            throw new IllegalArgumentException("maxEventBytes must be between 64 and "
                    + MAX_EVENT_BYTES + ", was " + maxEventBytes);
        }
        if (maxClockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("maxClockSkew must be at most " + MAX_CLOCK_SKEW
                    + ", was " + maxClockSkew);
        }
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** The defaults: 64 Ki slots, drop when full, no fsync, 1 h skew, 30 s shutdown timeout. */
    public static WriterOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link WriterOptions}. */
    public static final class Builder {
        private int ringSize = DEFAULT_RING_SIZE;
        private RingFullPolicy ringFullPolicy = RingFullPolicy.DROP;
        private int dropBelowPriority = Integer.MIN_VALUE;
        private Durability durability = Durability.OS;
        private Duration fsyncInterval = Duration.ofSeconds(1);
        private Duration maxClockSkew = Duration.ofHours(1);
        private Duration sealGrace = Duration.ofSeconds(10);
        private int maxOpenBuckets = 64;
        private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
        private int maxAttributes = DEFAULT_MAX_ATTRIBUTES;
        private LossListener lossListener = LossListener.STDERR;
        private Duration lossReportInterval = DEFAULT_LOSS_REPORT_INTERVAL;
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private boolean closeOnJvmShutdown = true;
        private WriteErrorListener errorListener = WriteErrorListener.STDERR;
        private Duration blockLinger = DEFAULT_BLOCK_LINGER;
        private String name;

        private Builder() {
        }

        public Builder ringSize(int slots) {
            this.ringSize = slots;
            return this;
        }

        public Builder ringFullPolicy(RingFullPolicy policy) {
            this.ringFullPolicy = policy;
            return this;
        }

        /** Sets {@link RingFullPolicy#DROP_BELOW} with the given threshold. */
        public Builder dropBelow(int priority) {
            this.ringFullPolicy = RingFullPolicy.DROP_BELOW;
            this.dropBelowPriority = priority;
            return this;
        }

        public Builder durability(Durability durability) {
            this.durability = durability;
            return this;
        }

        public Builder fsyncInterval(Duration interval) {
            this.fsyncInterval = interval;
            return this;
        }

        public Builder maxClockSkew(Duration skew) {
            this.maxClockSkew = skew;
            return this;
        }

        public Builder sealGrace(Duration grace) {
            this.sealGrace = grace;
            return this;
        }

        public Builder maxOpenBuckets(int buckets) {
            this.maxOpenBuckets = buckets;
            return this;
        }

        public Builder maxEventBytes(int bytes) {
            this.maxEventBytes = bytes;
            return this;
        }

        public Builder maxAttributes(int attributes) {
            this.maxAttributes = attributes;
            return this;
        }

        public Builder lossListener(LossListener listener) {
            this.lossListener = listener;
            return this;
        }

        public Builder lossReportInterval(Duration interval) {
            this.lossReportInterval = interval;
            return this;
        }

        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = timeout;
            return this;
        }

        public Builder closeOnJvmShutdown(boolean close) {
            this.closeOnJvmShutdown = close;
            return this;
        }

        public Builder errorListener(WriteErrorListener listener) {
            this.errorListener = listener;
            return this;
        }

        public Builder blockLinger(Duration linger) {
            this.blockLinger = linger;
            return this;
        }

        /** The writer's name in JMX and metrics (default: its writer id). */
        public Builder name(String name) {
            this.name = name == null || name.isBlank() ? null : name;
            return this;
        }

        public WriterOptions build() {
            return new WriterOptions(ringSize, ringFullPolicy, dropBelowPriority, durability,
                    fsyncInterval, maxClockSkew, sealGrace, maxOpenBuckets, maxEventBytes,
                    maxAttributes, shutdownTimeout, closeOnJvmShutdown, errorListener, lossListener,
                    lossReportInterval, blockLinger, name);
        }
    }
}

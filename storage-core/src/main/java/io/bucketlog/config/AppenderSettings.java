package io.bucketlog.config;

import io.bucketlog.Compression;
import io.bucketlog.Durability;
import io.bucketlog.LogAttributes;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.StreamUpdate;
import io.bucketlog.WriteErrorListener;
import io.bucketlog.WriterOptions;
import io.bucketlog.brigade.Brigade;
import io.bucketlog.spi.Locations;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The options of the log appenders, as the text a logging configuration gives them. Both appenders
 * (Log4j2 and Logback) take the same names and resolve them here, so they accept and reject
 * exactly the same values with the same messages. Every field may be {@code null} for "default",
 * except {@code directory}.
 *
 * @param directory one or more store directories, separated by commas
 * @param stream the stream name (default {@value #DEFAULT_STREAM})
 * @param keyPattern the key of each event (default {@code %logger}); see {@link KeyTemplate}
 * @param bucketSize bucket byte target, e.g. {@code 64MB} (default 64 MB)
 * @param bucketWidth maximum bucket time width, e.g. {@code 1h} (default 1 hour)
 * @param indexWindow index window, e.g. {@code 1d} (default 1 day)
 * @param compression {@code lz4} (default) or {@code none}
 * @param durability {@code os} (default), {@code interval} or {@code sync}
 * @param fsyncInterval fsync interval for {@code interval}, e.g. {@code 1s}
 * @param ringBufferSize ring slots, a power of two (default 16384)
 * @param ringFullPolicy {@code drop-below} (default), {@code drop} or {@code block}
 * @param dropBelowLevel with {@code drop-below}: the least level kept when full (default WARN)
 * @param shutdownTimeout how long stopping waits for the ring to drain (default 30s)
 * @param retention how long whole windows of the stream are kept, e.g. {@code 30d} (default: the
 *     stream's stored retention; unlimited for a new stream)
 * @param compaction {@code auto} to run the brigade inside the application, in the background at
 *     low priority, or {@code off} (default)
 */
public record AppenderSettings(
        String directory,
        String stream,
        String keyPattern,
        String bucketSize,
        String bucketWidth,
        String indexWindow,
        String compression,
        String durability,
        String fsyncInterval,
        String ringBufferSize,
        String ringFullPolicy,
        String dropBelowLevel,
        String shutdownTimeout,
        String retention,
        String compaction) {

    public static final String DEFAULT_STREAM = "logs";
    public static final int DEFAULT_RING_SIZE = 16 * 1024;
    public static final String DEFAULT_RING_FULL_POLICY = "drop-below";
    public static final long DEFAULT_BUCKET_BYTES = 64L * 1024 * 1024;

    /** Settings without the retention and compaction options. */
    public AppenderSettings(String directory, String stream, String keyPattern, String bucketSize,
                            String bucketWidth, String indexWindow, String compression,
                            String durability, String fsyncInterval, String ringBufferSize,
                            String ringFullPolicy, String dropBelowLevel, String shutdownTimeout) {
        this(directory, stream, keyPattern, bucketSize, bucketWidth, indexWindow, compression,
                durability, fsyncInterval, ringBufferSize, ringFullPolicy, dropBelowLevel,
                shutdownTimeout, null, null);
    }

    /**
     * Settings checked and converted.
     *
     * @param locations the store's volumes: directories (absolute) or object-store locations
     *     ({@code s3://bucket/prefix?...}), for {@link Store#open(String...)}
     * @param given the options as written, for messages in the user's own words
     * @param retention the retention option, if given (else a stream keeps its stored one)
     * @param compaction whether the appender runs the brigade
     */
    public record Resolved(List<String> locations, String stream, KeyTemplate key,
                           StreamConfig streamConfig, WriterOptions.Builder writerOptions,
                           AppenderSettings given, Optional<Duration> retention,
                           boolean compaction) {

        /**
         * Creates the stream, or brings an existing one's settings for new buckets up to these
         * options, so that a redeploy with changed options keeps logging. Block size, which the
         * appenders do not set, keeps its stored value, and so does retention unless given.
         *
         * @return one warning per option that kept its stored value, naming it as the user did
         */
        public List<String> openStream(Store store) {
            StreamConfig wanted = streamConfig;
            Optional<StreamConfig> stored = store.streamConfig(stream);
            if (stored.isPresent()) {
                wanted = new StreamConfig(wanted.bucketBytes(), wanted.bucketWidth(),
                        wanted.indexWindow(), wanted.compression(), stored.get().blockBytes(),
                        retention.isPresent() ? retention : stored.get().retention());
            }
            List<String> warnings = new ArrayList<>();
            StreamUpdate update = store.updateStream(stream, wanted);
            for (StreamUpdate.Kept k : update.kept()) {
                String option = k.setting();
                String written = option.equals("bucketWidth") ? given.bucketWidth : given.indexWindow;
                String why = option.equals("bucketWidth")
                        ? k.reason() + ", indexWindow=" + formatDuration(update.config().indexWindow())
                        : k.reason();
                warnings.add("option " + option + "=" + (written == null ? formatDuration(k.requested())
                        : written.trim()) + " is not applied to the existing stream '" + stream
                        + "', which keeps " + option + "=" + formatDuration(k.stored()) + ": " + why);
            }
            return warnings;
        }

        /**
         * Starts the brigade on the appender's stream when {@code compaction="auto"}: a daemon
         * thread of the lowest priority, off the logging path. Close it before the store.
         *
         * @param errors where a failed pass is reported
         * @return the running brigade, or empty when compaction is off
         */
        public Optional<Brigade> startCompaction(Store store, WriteErrorListener errors) {
            if (!compaction) {
                return Optional.empty();
            }
            return Optional.of(Brigade.builder(store).stream(stream).errors(errors).build().start());
        }
    }

    /**
     * Checks and converts every option.
     *
     * @param errors where the writer reports problems met after start-up
     * @throws InvalidOptionException naming the first bad option and why
     * @throws IllegalArgumentException without a directory, or for settings that are each valid
     *     but do not go together
     */
    public Resolved resolve(WriteErrorListener errors) {
        List<String> dirs = locations();
        String streamName = blankToNull(stream) == null ? DEFAULT_STREAM : stream.trim();
        String problem = io.bucketlog.Names.streamProblem(streamName);
        if (problem != null) {
            throw bad("stream", stream, problem);
        }
        KeyTemplate key;
        try {
            key = KeyTemplate.parse(blankToNull(keyPattern) == null ? "%logger" : keyPattern);
        } catch (IllegalArgumentException e) {
            throw bad("keyPattern", keyPattern, e.getMessage());
        }
        // Checked here as well as in StreamConfig so that the message names the option as the
        // user wrote it (bucketSize, not StreamConfig's bucketBytes).
        long bucketBytes = size("bucketSize", bucketSize, DEFAULT_BUCKET_BYTES);
        if (bucketBytes < StreamConfig.MIN_BUCKET_BYTES) {
            throw bad("bucketSize", bucketSize, "must be at least " + StreamConfig.MIN_BUCKET_BYTES + " bytes");
        }
        Duration width = duration("bucketWidth", bucketWidth, StreamConfig.DEFAULT_BUCKET_WIDTH);
        if (width.getNano() != 0) {
            throw bad("bucketWidth", bucketWidth, "must be a whole number of seconds");
        }
        Duration window = duration("indexWindow", indexWindow, StreamConfig.DEFAULT_INDEX_WINDOW);
        if (window.getNano() != 0) {
            throw bad("indexWindow", indexWindow, "must be a whole number of seconds");
        }
        if (window.getSeconds() % width.getSeconds() != 0) {
            // Blame the option the user wrote: with the default index window, that is the width.
            if (blankToNull(indexWindow) == null) {
                throw bad("bucketWidth", bucketWidth, "must divide indexWindow (default "
                        + formatDuration(window) + "), such as 1m, 5m, 10m, 15m, 30m, 1h, 2h or 1d");
            }
            throw bad("indexWindow", indexWindow, "must be a multiple of bucketWidth ("
                    + formatDuration(width) + ")");
        }
        // zstd: logs are written once and scanned, and take 0.5-0.65x of LZ4's bytes in it
        // (docs/PERFORMANCE.md). Not a default that depends on the host: where zstd cannot run,
        // the writer makes LZ4 buckets (ZstdCodec.writable) rather than the appender storing
        // another stream configuration, which hosts sharing a store would rewrite back and forth.
        Compression codec = choice("compression", compression, Compression.ZSTD,
                Compression.class);
        Optional<Duration> keep = blankToNull(retention) == null ? Optional.empty()
                : Optional.of(duration("retention", retention, null));
        boolean compact = switch (blankToNull(compaction) == null ? "off"
                : compaction.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> true;
            case "off" -> false;
            default -> throw bad("compaction", compaction, "expected auto or off");
        };
        StreamConfig config;
        try {
            config = StreamConfig.builder()
                    .bucketBytes(bucketBytes)
                    .bucketWidth(width)
                    .indexWindow(window)
                    .compression(codec)
                    .retention(keep.orElse(null))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid stream settings: " + e.getMessage(), e);
        }
        WriterOptions.Builder w = WriterOptions.builder()
                .durability(choice("durability", durability, Durability.OS, Durability.class))
                .fsyncInterval(duration("fsyncInterval", fsyncInterval, Duration.ofSeconds(1)))
                .shutdownTimeout(duration("shutdownTimeout", shutdownTimeout, Duration.ofSeconds(30)))
                .errorListener(errors)
                // The writer's hook leaves the close to the framework's own shutdown (which stops
                // the appender after the application's last messages) and closes the writer only
                // if that never comes: then the final loss report is still made.
                .closeOnJvmShutdown(true);
        long ring = size("ringBufferSize", ringBufferSize, DEFAULT_RING_SIZE);
        if (ring < 2 || ring > (1 << 26) || Long.bitCount(ring) != 1) {
            throw bad("ringBufferSize", ringBufferSize, "must be a power of two between 2 and 67108864");
        }
        w.ringSize((int) ring);
        // drop-below WARN by default: under a burst a user would rather shed INFO and DEBUG than
        // lose a warning or an error, and the wait it costs those is bounded by the writer.
        String policy = blankToNull(ringFullPolicy) == null ? DEFAULT_RING_FULL_POLICY
                : ringFullPolicy.trim().toLowerCase(Locale.ROOT);
        switch (policy) {
            case "drop" -> w.ringFullPolicy(RingFullPolicy.DROP);
            case "block" -> w.ringFullPolicy(RingFullPolicy.BLOCK);
            case "drop-below" -> {
                String level = blankToNull(dropBelowLevel) == null ? "WARN" : dropBelowLevel.trim();
                if (!LogAttributes.isLevel(level)) {
                    throw bad("dropBelowLevel", dropBelowLevel, "expected " + LogAttributes.LEVEL_CHOICES);
                }
                w.dropBelow(LogAttributes.priorityOf(level));
            }
            default -> throw bad("ringFullPolicy", ringFullPolicy, "expected drop, block or drop-below");
        }
        try {
            w.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid writer settings: " + e.getMessage(), e);
        }
        w.name(streamName); // JMX and metrics show the writer by its stream
        return new Resolved(dirs, streamName, key, config, w, this, keep, compact);
    }

    /** A duration in the largest unit that states it exactly, as the options are written: 1d, 90m. */
    public static String formatDuration(Duration d) {
        long s = d.getSeconds();
        if (d.getNano() != 0 || s == 0) {
            return d.toMillis() + "ms";
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** Each part of {@code directory}: a path made absolute, or a {@code scheme://} location as given. */
    private List<String> locations() {
        if (blankToNull(directory) == null) {
            throw new IllegalArgumentException("option 'directory' is required: where the store is");
        }
        List<String> out = new ArrayList<>();
        for (String part : directory.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw bad("directory", directory, "empty directory name in the list");
            }
            if (Locations.scheme(p).isPresent()) {
                out.add(p);
                continue;
            }
            try {
                out.add(Path.of(p).toAbsolutePath().normalize().toString());
            } catch (InvalidPathException e) {
                throw bad("directory", directory, e.getMessage());
            }
        }
        return out;
    }

    /** Parses sizes like {@code 65536}, {@code 64KB}, {@code 64MiB}, {@code 1g}. */
    public static long parseSize(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        String[][] units = {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"},
            {"KB", "1024"}, {"MB", "1048576"}, {"GB", "1073741824"},
            {"K", "1024"}, {"M", "1048576"}, {"G", "1073741824"}, {"B", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        long n = Long.parseLong(t);
        if (n < 0) {
            throw new NumberFormatException("negative");
        }
        return Math.multiplyExact(n, unit);
    }

    /** Parses durations like {@code 250ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 1d}, or ISO-8601. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        }
        String[][] units = {{"ms", "MILLIS"}, {"s", "SECONDS"}, {"m", "MINUTES"}, {"h", "HOURS"},
            {"d", "DAYS"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                long n = Long.parseLong(t.substring(0, t.length() - u[0].length()).trim());
                return Duration.of(n, java.time.temporal.ChronoUnit.valueOf(u[1]));
            }
        }
        throw new IllegalArgumentException("no unit (ms, s, m, h, d)");
    }

    private static long size(String option, String text, long dflt) {
        if (blankToNull(text) == null) {
            return dflt;
        }
        try {
            return parseSize(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(option, text, "expected a size such as 65536, 64KB or 64MB");
        }
    }

    private static Duration duration(String option, String text, Duration dflt) {
        if (blankToNull(text) == null) {
            return dflt;
        }
        Duration d;
        try {
            d = parseDuration(text);
        } catch (RuntimeException e) {
            throw bad(option, text, "expected a duration such as 500ms, 30s, 10m, 1h or 1d");
        }
        if (d.isNegative() || d.isZero()) {
            throw bad(option, text, "must be positive");
        }
        return d;
    }

    private static <E extends Enum<E>> E choice(String option, String text, E dflt, Class<E> type) {
        if (blankToNull(text) == null) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder expected = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                expected.append(expected.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw bad(option, text, "expected one of " + expected);
        }
    }

    private static InvalidOptionException bad(String option, String value, String why) {
        return new InvalidOptionException(option, value, why);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

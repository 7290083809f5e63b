package io.bucketlog.backend;

import io.bucketlog.BucketlogException;
import io.bucketlog.Compression;
import io.bucketlog.Names;
import io.bucketlog.StreamConfig;
import io.bucketlog.StreamConfigConflictException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams of a store and their configurations, kept in {@code <root0>/<stream>/stream.conf}
 * (a Java properties file a person can read). Creation is atomic across processes: the file is
 * written under a temporary name and moved into place without replacing, so when two processes
 * create the same stream at once, one wins and the other compares against the winner's config.
 */
public final class StreamCatalog {
    private static final String VERSION = "1";

    private final FileLayout layout;
    private final ConcurrentHashMap<String, StreamConfig> cache = new ConcurrentHashMap<>();

    public StreamCatalog(FileLayout layout) {
        this.layout = layout;
    }

    /**
     * Creates the stream, or opens it if it exists with an equal configuration.
     *
     * @throws StreamConfigConflictException if it exists with a different configuration
     */
    public StreamConfig create(String stream, StreamConfig config) {
        Names.checkStream(stream);
        Optional<StreamConfig> existing = find(stream);
        if (existing.isEmpty()) {
            refuseCaseOnlyDifference(stream);
            Path file = layout.streamConfig(stream);
            try {
                StringWriter text = new StringWriter();
                toProperties(config).store(text, "Bucketlog stream " + stream);
                // If another process created it first, we compare against its config below.
                AtomicCreate.create(file, ContainedFiles.IN_STREAM, text.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new BucketlogException("cannot create stream '" + stream + "' in " + file, e);
            }
            cache.remove(stream);
            existing = find(stream);
        }
        StreamConfig stored = existing.orElseThrow(
                () -> new BucketlogException("stream '" + stream + "' vanished while being created"));
        if (!stored.equals(config)) {
            throw new StreamConfigConflictException("stream '" + stream
                    + "' exists with a different configuration: stored " + describe(stored)
                    + ", requested " + describe(config)
                    + "; open it with the stored configuration or use another stream name");
        }
        return stored;
    }

    /** The configuration of an existing stream. */
    public Optional<StreamConfig> find(String stream) {
        if (Names.streamProblem(stream) != null) {
            return Optional.empty();
        }
        StreamConfig cached = cache.get(stream);
        if (cached != null) {
            return Optional.of(cached);
        }
        Path file = layout.streamConfig(stream);
        Properties p;
        try {
            p = ContainedFiles.readProperties(file, ContainedFiles.IN_STREAM);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BucketlogException("cannot read " + file + ": " + e.getMessage(), e);
        }
        StreamConfig config = fromProperties(p, file);
        cache.put(stream, config);
        return Optional.of(config);
    }

    /**
     * Refuses a new stream whose name differs from an existing one only in case: on Windows and
     * macOS file systems the two would be one directory. Two processes creating such names at the
     * same moment are not caught; one of them then meets the other's directory.
     */
    private void refuseCaseOnlyDifference(String stream) {
        for (String other : list()) {
            if (other.equalsIgnoreCase(stream) && !other.equals(stream)) {
                throw new IllegalArgumentException("invalid stream name \"" + stream + "\": stream '"
                        + other + "' exists, and the two differ only in case, which Windows and"
                        + " macOS file systems do not tell apart");
            }
        }
    }

    /** Names of all streams, sorted. */
    public List<String> list() {
        List<String> names = new ArrayList<>();
        Path root = layout.root(0);
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (Names.streamProblem(name) == null && ContainedFiles.isRegularFile(p.resolve(FileLayout.STREAM_CONFIG_FILE))) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new BucketlogException("cannot list streams in " + root, e);
        }
        Collections.sort(names);
        return names;
    }

    static Properties toProperties(StreamConfig c) {
        Properties p = new Properties();
        p.setProperty("format.version", VERSION);
        p.setProperty("bucket.bytes", Long.toString(c.bucketBytes()));
        p.setProperty("bucket.width.seconds", Long.toString(c.bucketWidth().getSeconds()));
        p.setProperty("index.window.seconds", Long.toString(c.indexWindow().getSeconds()));
        p.setProperty("compression", c.compression().name());
        p.setProperty("block.bytes", Integer.toString(c.blockBytes()));
        c.retention().ifPresent(r -> p.setProperty("retention.seconds", Long.toString(r.getSeconds())));
        return p;
    }

    static StreamConfig fromProperties(Properties p, Path file) {
        try {
            String version = p.getProperty("format.version");
            if (!VERSION.equals(version)) {
                throw new BucketlogException(file + ": unsupported stream format version " + version);
            }
            String retention = p.getProperty("retention.seconds");
            return new StreamConfig(
                    Long.parseLong(required(p, "bucket.bytes")),
                    Duration.ofSeconds(Long.parseLong(required(p, "bucket.width.seconds"))),
                    Duration.ofSeconds(Long.parseLong(required(p, "index.window.seconds"))),
                    Compression.valueOf(required(p, "compression")),
                    Integer.parseInt(required(p, "block.bytes")),
                    retention == null ? Optional.empty()
                            : Optional.of(Duration.ofSeconds(Long.parseLong(retention))));
        } catch (IllegalArgumentException e) {
            throw new BucketlogException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String name) {
        String v = p.getProperty(name);
        if (v == null) {
            throw new IllegalArgumentException("missing '" + name + "'");
        }
        return v.trim();
    }

    private static String describe(StreamConfig c) {
        return "{bucketBytes=" + c.bucketBytes() + ", bucketWidth=" + c.bucketWidth()
                + ", indexWindow=" + c.indexWindow() + ", compression=" + c.compression()
                + ", blockBytes=" + c.blockBytes() + ", retention="
                + c.retention().map(Duration::toString).orElse("none") + "}";
    }
}

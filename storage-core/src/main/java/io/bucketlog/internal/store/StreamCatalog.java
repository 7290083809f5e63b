package io.bucketlog.internal.store;

import io.bucketlog.BucketlogException;
import io.bucketlog.Compression;
import io.bucketlog.Names;
import io.bucketlog.StreamConfig;
import io.bucketlog.StreamConfigConflictException;
import io.bucketlog.StreamUpdate;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.Storage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams of a store and their configurations, kept in {@code <stream>/stream.conf} on volume 0
 * (a Java properties file a person can read). Creation is atomic across processes
 * ({@link io.bucketlog.spi.Storage#putIfAbsent}), so when two processes create the same stream
 * at once, one wins and the other compares against the winner's config.
 *
 * <p><b>Versions.</b> A redeployed application may ask for other settings than the stream was
 * created with. The settings that only shape new buckets (bucket size and width, compression,
 * block size, retention) then take effect through a new version: {@code stream.conf.2},
 * {@code stream.conf.3}..., each a complete configuration, created the same atomic way, so two
 * processes racing for the same version number cannot overwrite each other (the loser re-reads
 * and tries the next number). Nothing is ever rewritten, which keeps readers of older versions
 * correct and needs no lock. Readers bound old buckets by the widest width of any version
 * ({@link StreamHistory}). The index window can never change: readers compute which index
 * directories to read from it, so a changed one would hide every event already stored.
 */
public final class StreamCatalog {
    /** The version of the stream.conf file format (not of a stream's configuration). */
    public static final String FORMAT_VERSION = "1";
    /** Versions a racing update tries before giving up; each attempt loses only to a new version. */
    private static final int UPDATE_ATTEMPTS = 100;

    private final StoreLayout layout;
    private final Storage volume;
    private final ConcurrentHashMap<String, StreamHistory> cache = new ConcurrentHashMap<>();

    public StreamCatalog(StoreLayout layout) {
        this.layout = layout;
        this.volume = layout.volume(0);
    }

    /**
     * Creates the stream, or opens it if it exists with an equal (current) configuration.
     *
     * @throws StreamConfigConflictException if it exists with a different configuration
     */
    public StreamConfig create(String stream, StreamConfig config) {
        Names.checkStream(stream);
        StreamConfig stored = createOrFind(stream, config).current();
        if (!stored.equals(config)) {
            throw new StreamConfigConflictException("stream '" + stream
                    + "' exists with a different configuration: stored " + describe(stored)
                    + ", requested " + describe(config)
                    + "; open it with the stored configuration or use another stream name");
        }
        return stored;
    }

    /**
     * Creates the stream with {@code requested}, or makes {@code requested} the configuration of
     * the existing stream's new buckets, keeping the stored value of each setting that cannot
     * change.
     */
    public StreamUpdate update(String stream, StreamConfig requested) {
        Names.checkStream(stream);
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            StreamHistory history = createOrFind(stream, requested);
            StreamConfig current = history.current();
            List<StreamUpdate.Kept> kept = new ArrayList<>();
            Duration width = requested.bucketWidth();
            if (current.indexWindow().getSeconds() % width.getSeconds() != 0) {
                kept.add(new StreamUpdate.Kept("bucketWidth", current.bucketWidth(), width,
                        "a bucket width must divide the stream's index window"));
                width = current.bucketWidth();
            }
            if (!requested.indexWindow().equals(current.indexWindow())) {
                kept.add(new StreamUpdate.Kept("indexWindow", current.indexWindow(),
                        requested.indexWindow(), "readers find the events already stored by their"
                                + " index window; another one needs another stream name"));
            }
            StreamConfig effective = new StreamConfig(requested.bucketBytes(), width,
                    current.indexWindow(), requested.compression(), requested.blockBytes(),
                    requested.retention());
            if (effective.equals(current)) {
                return new StreamUpdate(current, kept);
            }
            int version = history.versions().size() + 1;
            if (write(stream, version, effective)) {
                return new StreamUpdate(effective, kept);
            }
        }
        throw new BucketlogException("cannot update stream '" + stream + "': other processes kept"
                + " adding configuration versions");
    }

    /** The current configuration of an existing stream. */
    public Optional<StreamConfig> find(String stream) {
        return history(stream).map(StreamHistory::current);
    }

    /**
     * Every configuration of an existing stream. Cached; one file-existence check per call finds
     * a version added since (by any process).
     */
    public Optional<StreamHistory> history(String stream) {
        if (Names.streamProblem(stream) != null) {
            return Optional.empty();
        }
        StreamHistory cached = cache.get(stream);
        if (cached != null && !exists(StoreLayout.streamConfig(stream, cached.versions().size() + 1))) {
            return Optional.of(cached);
        }
        List<StreamConfig> versions = new ArrayList<>(cached == null ? List.of() : cached.versions());
        for (int v = versions.size() + 1; ; v++) {
            Optional<StreamConfig> c = load(StoreLayout.streamConfig(stream, v));
            if (c.isEmpty()) {
                break;
            }
            versions.add(c.get());
        }
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        StreamHistory history = withStoredIndexWindow(stream, versions);
        cache.put(stream, history);
        return Optional.of(history);
    }

    /**
     * The history with the index window the stream's index buckets were written with, where
     * {@code stream.conf} (or one of its versions) says another: a hand edit must not send
     * readers and writers to other directories than the events are in
     * ({@link IndexWindowEvidence}).
     */
    private StreamHistory withStoredIndexWindow(String stream, List<StreamConfig> versions) {
        StringBuilder evidence = new StringBuilder();
        long stored = IndexWindowEvidence.find(layout, stream, evidence);
        long window = stored > 0 ? stored : versions.get(0).indexWindowNanos();
        if (versions.stream().allMatch(c -> c.indexWindowNanos() == window)) {
            return new StreamHistory(versions);
        }
        Duration real = Duration.ofNanos(window);
        List<StreamConfig> fixed = new ArrayList<>();
        for (StreamConfig c : versions) {
            try {
                fixed.add(new StreamConfig(c.bucketBytes(), c.bucketWidth(), real, c.compression(),
                        c.blockBytes(), c.retention()));
            } catch (IllegalArgumentException e) {
                throw new BucketlogException(configLocation(stream) + " is damaged: its index"
                        + " window was changed from " + real + " and " + e.getMessage(), e);
            }
        }
        String said = versions.stream().map(c -> c.indexWindow().toString()).distinct()
                .reduce((a, b) -> a + ", " + b).orElseThrow();
        String problem = "stream.conf gives an index window of " + said + ", but "
                + (stored > 0 ? "the stream's index buckets were written with " + real + " ("
                + evidence + ")" : "its first version says " + real)
                + ": stream.conf was edited or replaced; events are read and written by " + real;
        return new StreamHistory(fixed, problem);
    }

    private String configLocation(String stream) {
        return volume.locationOf(StoreLayout.streamConfig(stream));
    }

    private StreamHistory createOrFind(String stream, StreamConfig config) {
        Optional<StreamHistory> existing = history(stream);
        if (existing.isEmpty()) {
            refuseCaseOnlyDifference(stream);
            claimName(stream);
            // If another process created it first, the caller compares against its config.
            write(stream, 1, config);
            existing = history(stream);
        }
        return existing.orElseThrow(
                () -> new BucketlogException("stream '" + stream + "' vanished while being created"));
    }

    /** Creates version {@code version}; {@code false} if another process created it first. */
    private boolean write(String stream, int version, StreamConfig config) {
        String file = StoreLayout.streamConfig(stream, version);
        try {
            StringWriter text = new StringWriter();
            toProperties(config).store(text, "Bucketlog stream " + stream
                    + (version == 1 ? "" : ", configuration version " + version));
            return volume.putIfAbsent(file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BucketlogException("cannot " + (version == 1 ? "create" : "update")
                    + " stream '" + stream + "' in " + volume.locationOf(file), e);
        }
    }

    /** A stat, not a listing: it runs for every query, for a version that is usually absent. */
    private boolean exists(String name) {
        try {
            return volume.stat(name).isPresent();
        } catch (IOException e) {
            return true; // reading it reports what it is
        }
    }

    private Optional<StreamConfig> load(String file) {
        Properties p;
        try {
            p = SmallObjects.readProperties(volume, file);
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BucketlogException("cannot read " + volume.locationOf(file) + ": "
                    + e.getMessage(), e);
        }
        return Optional.of(fromProperties(p, volume.locationOf(file)));
    }

    /**
     * Refuses a new stream whose name differs from an existing one only in case: on Windows and
     * macOS file systems the two would be one directory. This finds streams made before name
     * claims; {@link #claimName} settles two processes creating such names at the same moment.
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

    /**
     * Takes the stream's name in every case ({@link StoreLayout#streamNameClaim}), or finds it
     * taken by this very name (another process creating the same stream); a name taken in another
     * case is refused. {@link #refuseCaseOnlyDifference} still covers streams made before claims.
     */
    private void claimName(String stream) {
        String claim = StoreLayout.streamNameClaim(stream);
        byte[] name = stream.getBytes(StandardCharsets.UTF_8);
        try {
            if (volume.putIfAbsent(claim, name)) {
                return;
            }
            String holder = new String(SmallObjects.read(volume, claim, Names.MAX_STREAM_LENGTH * 4),
                    StandardCharsets.UTF_8);
            if (!holder.equals(stream)) {
                throw new IllegalArgumentException("invalid stream name \"" + stream + "\": stream '"
                        + holder + "' has it, and the two differ only in case, which Windows and"
                        + " macOS file systems do not tell apart");
            }
        } catch (IOException e) {
            throw new BucketlogException("cannot create stream '" + stream + "': " + e.getMessage(), e);
        }
    }

    /** Names of all streams, sorted. */
    public List<String> list() {
        List<String> names = new ArrayList<>();
        List<String> entries;
        try {
            entries = volume.list("");
        } catch (IOException e) {
            throw new BucketlogException("cannot list streams in " + volume.location(), e);
        }
        for (String entry : entries) {
            String name = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : null;
            if (name != null && Names.streamProblem(name) == null && isStream(name)) {
                names.add(name);
            }
        }
        Collections.sort(names);
        return names;
    }

    /** Whether a stream directory holds a configuration that is a regular file. */
    private boolean isStream(String name) {
        try {
            return volume.stat(StoreLayout.streamConfig(name)).isPresent();
        } catch (IOException e) {
            return false; // a link or a special file: not a stream's
        }
    }

    static Properties toProperties(StreamConfig c) {
        Properties p = new Properties();
        p.setProperty("format.version", FORMAT_VERSION);
        p.setProperty("bucket.bytes", Long.toString(c.bucketBytes()));
        p.setProperty("bucket.width.seconds", Long.toString(c.bucketWidth().getSeconds()));
        p.setProperty("index.window.seconds", Long.toString(c.indexWindow().getSeconds()));
        p.setProperty("compression", c.compression().name());
        p.setProperty("block.bytes", Integer.toString(c.blockBytes()));
        c.retention().ifPresent(r -> p.setProperty("retention.seconds", Long.toString(r.getSeconds())));
        return p;
    }

    static StreamConfig fromProperties(Properties p, String file) {
        try {
            String version = p.getProperty("format.version");
            if (!FORMAT_VERSION.equals(version)) {
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

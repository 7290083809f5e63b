package io.bucketlog;

import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StoreDirectories;
import io.bucketlog.internal.store.StreamCatalog;
import io.bucketlog.internal.store.StreamHistory;
import io.bucketlog.internal.read.StreamScan;
import io.bucketlog.internal.write.RingWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Bucketlog store on one or more volumes: its streams, writers and scans.
 *
 * <p>A volume is named by a location string: a local directory's path (or {@code file:} URI), or
 * the location of another storage backend on the class path ({@code scheme://...}; see
 * {@link io.bucketlog.spi.StorageProvider}). Several directories (one per disk) spread the data
 * buckets over them; a store must always be opened with the same volumes in the same order, which
 * is checked. Any number of processes may open the same store at once, to write and to read,
 * without coordinating.
 *
 * <p>Thread-safe. Closing the store closes the writers it made, and a closed store makes no new
 * writer.
 */
public final class Store implements AutoCloseable {
    private final StoreLayout layout;
    private final StreamCatalog catalog;
    private final Set<Writer> writers = ConcurrentHashMap.newKeySet();
    /** Guarded by {@code this}, so that no writer is made after close has listed them. */
    private boolean closed;

    private Store(StoreLayout layout) {
        this.layout = layout;
        this.catalog = new StreamCatalog(layout);
    }

    /** Opens the store in these directories, creating it if they hold none. */
    public static Store open(Path... directories) {
        return open(List.of(directories));
    }

    /** Opens the store in these directories, creating it if they hold none. */
    public static Store open(List<Path> directories) {
        return new Store(StoreDirectories.open(absolute(directories), true));
    }

    /**
     * Opens the store at these locations (directory paths, {@code file:} URIs, or another
     * backend's {@code scheme://...} locations), creating it if they hold none.
     *
     * @throws IllegalArgumentException if no storage backend takes a location
     */
    public static Store open(String... locations) {
        return new Store(StoreDirectories.open(List.of(locations), true));
    }

    /**
     * Opens an existing store, for reading: fails with a clear message if the directories do not
     * hold one, instead of creating an empty store in a mistyped path.
     */
    public static Store openExisting(List<Path> directories) {
        return new Store(StoreDirectories.open(absolute(directories), false));
    }

    /** Opens an existing store at these locations; see {@link #open(String...)}. */
    public static Store openExisting(String... locations) {
        return new Store(StoreDirectories.open(List.of(locations), false));
    }

    private static List<String> absolute(List<Path> directories) {
        List<String> out = new ArrayList<>();
        for (Path p : directories) {
            out.add(p.toAbsolutePath().normalize().toString());
        }
        return out;
    }

    /** Where the store is, for messages: its first volume (a local store's absolute path). */
    public String location() {
        return layout.location();
    }

    /** The locations of its volumes, in order (absolute paths for local directories). */
    public List<String> locations() {
        return layout.locations();
    }

    /**
     * Creates a stream, or opens it if it exists with the same configuration.
     *
     * @throws StreamConfigConflictException if it exists with another configuration
     * @throws IllegalArgumentException if the name is not a valid stream name
     */
    public StreamConfig createStream(String name, StreamConfig config) {
        return catalog.create(name, config);
    }

    /**
     * Creates a stream, or makes {@code config} the configuration of an existing stream's new
     * buckets: what a redeployed application with changed settings needs. Buckets already
     * written keep their settings and stay readable. A setting that cannot change (the index
     * window; a bucket width that does not divide it) keeps its stored value and is listed in
     * {@link StreamUpdate#kept()}.
     *
     * @throws IllegalArgumentException if the name is not a valid stream name
     */
    public StreamUpdate updateStream(String name, StreamConfig config) {
        return catalog.update(name, config);
    }

    /** The configuration of a stream, if it exists (the newest, if it was updated). */
    public Optional<StreamConfig> streamConfig(String name) {
        return catalog.find(name);
    }

    /** The names of all streams, sorted. */
    public List<String> streams() {
        return catalog.list();
    }

    /** A writer with the default options. */
    public Writer writer() {
        return writer(WriterOptions.defaults());
    }

    /**
     * A new writer with its own id and bucket-writer thread. Close it when done.
     *
     * @throws IllegalStateException if the store is closed
     */
    public synchronized Writer writer(WriterOptions options) {
        if (closed) {
            throw new IllegalStateException("the store in " + layout.locations() + " is closed");
        }
        Writer[] self = new Writer[1];
        RingWriter w = new RingWriter(layout, catalog, options, () -> writers.remove(self[0]));
        self[0] = w;
        writers.add(w);
        return w;
    }

    /**
     * Scans a stream. The result holds open files: close it.
     *
     * @throws UnknownStreamException if the stream does not exist
     */
    public EventScan scan(ScanRequest request) {
        StreamHistory history = catalog.history(request.stream())
                .orElseThrow(() -> new UnknownStreamException(request.stream(), layout.location()));
        return new StreamScan(layout, history, request);
    }

    /**
     * Where the store's objects are: its volumes and the layout of names on them. Internal (the
     * read engine and tests use it); not API.
     */
    public StoreLayout layout() {
        return layout;
    }

    /** The stream catalog this store reads configurations through. Internal; not API. */
    public StreamCatalog catalog() {
        return catalog;
    }

    /**
     * Closes every writer made by this store that is still open, then releases its storages
     * (a network backend's connections).
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (Writer w : List.copyOf(writers)) {
            w.close();
        }
        for (io.bucketlog.spi.Storage s : layout.volumes()) {
            try {
                s.close();
            } catch (java.io.IOException e) {
                throw new BucketlogException("cannot close " + s.location() + ": " + e, e);
            }
        }
    }
}

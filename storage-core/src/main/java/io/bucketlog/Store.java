package io.bucketlog;

import io.bucketlog.internal.store.FileLayout;
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
 * A Bucketlog store on one or more local directories: its streams, writers and scans.
 *
 * <p>Several directories (one per disk) spread the data buckets over them; a store must always be
 * opened with the same directories in the same order, which is checked. Any number of processes
 * may open the same store at once, to write and to read, without coordinating.
 *
 * <p>Thread-safe. Closing the store closes the writers it made, and a closed store makes no new
 * writer.
 */
public final class Store implements AutoCloseable {
    private final FileLayout layout;
    private final StreamCatalog catalog;
    private final Set<Writer> writers = ConcurrentHashMap.newKeySet();
    /** Guarded by {@code this}, so that no writer is made after close has listed them. */
    private boolean closed;

    private Store(FileLayout layout) {
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
     * Opens an existing store, for reading: fails with a clear message if the directories do not
     * hold one, instead of creating an empty store in a mistyped path.
     */
    public static Store openExisting(List<Path> directories) {
        return new Store(StoreDirectories.open(absolute(directories), false));
    }

    private static List<Path> absolute(List<Path> directories) {
        List<Path> out = new ArrayList<>();
        for (Path p : directories) {
            out.add(p.toAbsolutePath().normalize());
        }
        return out;
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
            throw new IllegalStateException("the store in " + layout.roots() + " is closed");
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
                .orElseThrow(() -> new UnknownStreamException(request.stream(), layout.root(0)));
        return new StreamScan(layout, history, request);
    }

    /** Where the store's files are. */
    public FileLayout layout() {
        return layout;
    }

    /** Closes every writer made by this store that is still open. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (Writer w : List.copyOf(writers)) {
            w.close();
        }
    }
}

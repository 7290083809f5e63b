package io.bucketlog.reader;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.UnknownStreamException;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.store.StreamCatalog;
import io.bucketlog.internal.store.StreamHistory;
import io.bucketlog.internal.read.DamageLog;
import io.bucketlog.metrics.MBeanRegistration;
import io.bucketlog.metrics.ReaderMXBean;
import io.bucketlog.internal.read.ReadCache;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.management.JMException;

/**
 * Reads a Bucketlog store: queries, "latest N" timelines and live tails.
 *
 * <pre>{@code
 * try (BucketlogReader reader = BucketlogReader.open(Path.of("/var/lib/events"))) {
 *     List<Event> timeline = reader.latest("orders", "user-42", 50);
 *     try (QueryResult r = reader.query("orders").from(Instant.now().minus(Duration.ofHours(1)))
 *             .attributeEquals("type", "refund").iterator()) {
 *         while (r.hasNext()) {
 *             Event e = r.next();
 *             ...
 *         }
 *         String resumeAt = String.valueOf(r.cursor());   // continue later with .after(resumeAt)
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe: one reader is meant to be shared by every thread of a program. It holds bounded
 * caches of parsed index entries, of sealed buckets' footers (sealed files never change) and of
 * directory listings (kept while the directory's stamp vouches for them), and up to 128 sealed
 * buckets open, so that reading one again costs no open (a deleted one's space is freed when it
 * is pushed out or the reader closed); other files are held only by open {@link QueryResult}s
 * and tails. Writers in this or other
 * processes may append, rotate, seal and delete buckets at any time while it reads.
 */
public final class BucketlogReader implements AutoCloseable {
    private final Store store;
    /** Whether closing the reader closes the store: it opened the store itself. */
    private final boolean ownsStore;
    private final StreamCatalog catalog;
    private final IndexCache indexCache;
    private final FooterCache footerCache;
    private final ListingCache listingCache;
    private final StreamHistories histories;
    private final WindowCache windowCache;
    private final SealedHandles sealedHandles;
    private final ReadCache readCache;
    /** Tells the listener of each damaged place once, however many queries and tails meet it. */
    private final DamageLog damage;
    private final Set<AutoCloseable> tails = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final ReaderBean counters = new ReaderBean();
    /** The JMX view, {@code null} if the MBean server refused it. */
    private final MBeanRegistration mbean;

    private BucketlogReader(Builder b) {
        this.ownsStore = b.store == null;
        this.store = b.store != null ? b.store : b.locations != null
                ? Store.openExisting(b.locations.toArray(String[]::new))
                : Store.openExisting(b.directories);
        this.catalog = store.catalog();
        this.indexCache = new IndexCache(b.indexCacheFiles, counters);
        this.footerCache = new FooterCache(b.footerCacheBytes, counters);
        this.listingCache = new ListingCache(b.indexCacheFiles, counters, b.nanoClock);
        this.histories = new StreamHistories(catalog, store.layout().volume(0), listingCache);
        this.sealedHandles = new SealedHandles(Builder.KEPT_OPEN_BUCKETS);
        this.windowCache = new WindowCache(b.indexCacheFiles, counters);
        this.readCache = new ReadCache(indexCache, footerCache, listingCache, sealedHandles,
                windowCache);
        Consumer<CorruptionReport> listener = b.corruptionListener;
        this.damage = new DamageLog(listener == null ? r -> { } : listener);
        this.mbean = !b.jmx ? null : registerMBean(b.name != null ? b.name : store.location());
    }

    /** JMX is a view: a server that refuses the bean costs the reader nothing else. */
    private MBeanRegistration registerMBean(String name) {
        try {
            return MBeanRegistration.register("Reader", name, ReaderMXBean.class, unique -> {
                counters.name(unique);
                return counters;
            });
        } catch (JMException | RuntimeException e) {
            return null;
        }
    }

    ReaderBean counters() {
        return counters;
    }

    /**
     * Opens the store in these directories (all of them, in the order it was created with).
     *
     * @throws io.bucketlog.BucketlogException if they do not hold a Bucketlog store
     */
    public static BucketlogReader open(Path... directories) {
        return builder().directories(directories).build();
    }

    /**
     * A reader of a store opened elsewhere (a program that writes and reads, or a store on
     * another backend). Closing the reader leaves the store open.
     */
    public static BucketlogReader open(Store store) {
        return builder().store(store).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The names of the store's streams, sorted. */
    public List<String> streams() {
        checkOpen();
        return catalog.list();
    }

    /** Starts a query of {@code stream}; nothing is read until it is run. */
    public Query query(String stream) {
        checkOpen();
        return new Query(this, stream);
    }

    /**
     * The newest {@code n} events of a key, newest first: the timeline case. Walks windows from the
     * newest and stops as soon as it has {@code n}.
     */
    public List<Event> latest(String stream, String key, int n) {
        return query(stream).key(key).backward().limit(n).list();
    }

    /** Starts a tail of {@code stream}: by default every key, from now. */
    public Tail tail(String stream) {
        checkOpen();
        return new Tail(this, stream);
    }

    QueryResult run(QuerySpec spec) {
        return new QueryExecution(this, history(spec.stream()), spec);
    }

    StreamHistory history(String stream) {
        checkOpen();
        return histories.history(stream)
                .orElseThrow(() -> new UnknownStreamException(stream, store.location()));
    }

    StoreLayout layout() {
        return store.layout();
    }

    IndexCache indexCache() {
        return indexCache;
    }

    FooterCache footerCache() {
        return footerCache;
    }

    SealedHandles sealedHandles() {
        return sealedHandles;
    }

    /** The caches, as the read engine takes them. */
    ReadCache readCache() {
        return readCache;
    }

    void reportCorruption(CorruptionReport r) {
        damage.report(r);
    }

    void register(AutoCloseable tail) {
        tails.add(tail);
        if (closed) {
            tails.remove(tail);
            throw new IllegalStateException("the reader is closed");
        }
    }

    void unregister(AutoCloseable tail) {
        tails.remove(tail);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the reader is closed");
        }
    }

    /** Stops every tail started from this reader and drops the caches. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (AutoCloseable t : List.copyOf(tails)) {
            try {
                t.close();
            } catch (Exception e) {
                // a tail's close only stops its thread; nothing to report
            }
        }
        indexCache.clear();
        footerCache.clear();
        listingCache.clear();
        histories.clear();
        windowCache.clear();
        sealedHandles.clear();
        if (mbean != null) {
            mbean.close();
        }
        if (ownsStore) {
            store.close();
        }
    }

    /** Builds a {@link BucketlogReader}; only the directories are required. */
    public static final class Builder {
        /** Default bound of the footer cache: 64 MiB. */
        public static final long DEFAULT_FOOTER_CACHE_BYTES = 64L << 20;
        /** Sealed buckets whose handles are kept open between queries (file descriptors). */
        static final long KEPT_OPEN_BUCKETS = 128;
        /** Default bound of the index cache: 4096 index buckets. */
        public static final long DEFAULT_INDEX_CACHE_FILES = 4096;

        private List<Path> directories = List.of();
        private List<String> locations;
        private Store store;
        private long footerCacheBytes = DEFAULT_FOOTER_CACHE_BYTES;
        private long indexCacheFiles = DEFAULT_INDEX_CACHE_FILES;
        private Consumer<CorruptionReport> corruptionListener;
        private String name;
        private boolean jmx = true;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder() {
        }

        /** The monotonic clock the listing cache settles stamps by; tests move it. */
        Builder nanoClock(LongSupplier clock) {
            this.nanoClock = clock;
            return this;
        }

        /**
         * Whether the reader registers its MBean (default {@code true}). A short-lived program
         * such as the command line leaves it out: the JVM's MBean server costs about 0.1 s to start.
         */
        public Builder jmx(boolean register) {
            this.jmx = register;
            return this;
        }

        /**
         * The reader's name in JMX ({@code io.bucketlog:type=Reader,name=...}, with its cache hits
         * and bytes read); by default the store's location (its first directory). A name in use gets a suffix.
         */
        public Builder name(String name) {
            this.name = name == null || name.isBlank() ? null : name;
            return this;
        }

        /** The store's directories, in the order it was created with. */
        public Builder directories(Path... directories) {
            return directories(List.of(directories));
        }

        public Builder directories(List<Path> directories) {
            this.directories = List.copyOf(directories);
            return this;
        }

        /**
         * The store's locations, in the order it was created with: directory paths, or another
         * storage backend's locations ({@link Store#open(String...)}).
         */
        public Builder locations(String... locations) {
            this.locations = List.of(locations);
            return this;
        }

        /** A store opened elsewhere, instead of directories; the reader does not close it. */
        public Builder store(Store store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Upper bound, in estimated heap bytes, of the cached footers of sealed buckets. */
        public Builder footerCacheBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("footerCacheBytes must not be negative, was "
                        + bytes);
            }
            this.footerCacheBytes = bytes;
            return this;
        }

        /**
         * Upper bound of the index buckets whose parsed entries are cached, of the directories
         * whose listings are kept, and of the index buckets of the windows kept as the catalog
         * made them (each window counts its index buckets).
         */
        public Builder indexCacheFiles(long files) {
            if (files < 0) {
                throw new IllegalArgumentException("indexCacheFiles must not be negative, was "
                        + files);
            }
            this.indexCacheFiles = files;
            return this;
        }

        /**
         * Receives each damaged block, footer, index entry or file a query or tail meets, once per
         * place for the life of the reader, however many queries meet it again (each result
         * still lists what it met). Called on the reading thread; must not block.
         */
        public Builder onCorruption(Consumer<CorruptionReport> listener) {
            this.corruptionListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Opens the reader.
         *
         * @throws io.bucketlog.BucketlogException if the directories do not hold a store
         */
        public BucketlogReader build() {
            if (store == null && directories.isEmpty() && (locations == null || locations.isEmpty())) {
                throw new IllegalArgumentException("a reader needs the store's directories");
            }
            return new BucketlogReader(this);
        }
    }
}

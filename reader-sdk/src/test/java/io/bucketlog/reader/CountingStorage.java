package io.bucketlog.reader;

import io.bucketlog.backend.file.FileStorageProvider;
import io.bucketlog.spi.ForwardingStorage;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.Storage;
import io.bucketlog.spi.StorageProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A store directory opened as {@code counting:<dir>}: the file backend, with every {@code stat}
 * recorded, so that a test can tell which objects a query asked the backend about. Opened as
 * {@code counting-unstamped:<dir>}, it also gives no listing stamps, as an object store gives
 * none.
 */
final class CountingStorage extends ForwardingStorage {
    /** The storages opened so far, by directory. */
    static final Map<Path, CountingStorage> OPENED = new ConcurrentHashMap<>();
    static final String SCHEME = "counting:";
    static final String UNSTAMPED = "counting-unstamped:";

    /** Opens {@code counting:<dir>} locations. */
    public static final class Provider implements StorageProvider {
        @Override
        public boolean accepts(String location) {
            return location.startsWith(SCHEME) || location.startsWith(UNSTAMPED);
        }

        @Override
        public String scheme() {
            return "counting";
        }

        @Override
        public Storage open(String location, boolean create) throws IOException {
            boolean stamped = location.startsWith(SCHEME);
            Path dir = Path.of(location.substring((stamped ? SCHEME : UNSTAMPED).length()))
                    .toAbsolutePath();
            CountingStorage s = new CountingStorage(FileStorageProvider.open(dir, create), stamped);
            OPENED.put(dir, s);
            return s;
        }
    }

    /** The names given to {@link #stat}, in call order. */
    final List<String> stats = new CopyOnWriteArrayList<>();

    private final boolean stamped;

    private CountingStorage(Storage real, boolean stamped) {
        super(real);
        this.stamped = stamped;
    }

    @Override
    public String listingStamp(String prefix) throws IOException {
        return stamped ? real.listingStamp(prefix) : null;
    }

    @Override
    public Optional<ObjectVersion> stat(String name) throws IOException {
        stats.add(name);
        return real.stat(name);
    }
}

package io.bucketlog.internal.store;

import io.bucketlog.BucketlogException;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Checks that the volumes a store is opened with are the volumes it was created with, in the
 * same order: each holds a {@code store.properties} naming the store, the number of volumes and
 * its own position. Opening with a missing, extra or reordered volume is refused, because readers
 * would then miss data buckets.
 */
public final class StoreDirectories {
    private StoreDirectories() {
    }

    /**
     * Opens the storages at {@code locations} (see {@link StorageResolver}), creating them and the
     * store if they are new, and checks them.
     *
     * @param create whether to create a store that does not exist yet
     */
    public static StoreLayout open(List<String> locations, boolean create) {
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("a store needs at least one directory");
        }
        List<Storage> volumes = new ArrayList<>();
        try {
            for (String location : locations) {
                volumes.add(openVolume(location, create));
            }
            return open(new StoreLayout(volumes), create);
        } catch (RuntimeException e) {
            for (Storage s : volumes) {
                try {
                    s.close();
                } catch (IOException closeFailed) {
                    e.addSuppressed(closeFailed);
                }
            }
            throw e;
        }
    }

    private static Storage openVolume(String location, boolean create) {
        try {
            return StorageResolver.open(location, create);
        } catch (NoSuchObjectException e) {
            throw new BucketlogException(e.location()
                    + " is not a Bucketlog store (no " + StoreLayout.STORE_FILE + ")", e);
        } catch (IOException e) {
            throw new BucketlogException("cannot open store directory " + location + ": " + e, e);
        }
    }

    /** Checks (and if {@code create}, creates) the store files of opened volumes. */
    public static StoreLayout open(StoreLayout layout, boolean create) {
        List<Storage> volumes = layout.volumes();
        String storeId = null;
        for (int i = 0; i < volumes.size(); i++) {
            Storage volume = volumes.get(i);
            String file = volume.locationOf(StoreLayout.STORE_FILE);
            try {
                if (!SmallObjects.present(volume, StoreLayout.STORE_FILE)) {
                    if (!create) {
                        throw new BucketlogException(volume.location() + " is not a Bucketlog store"
                                + " (no " + StoreLayout.STORE_FILE + ")");
                    }
                    if (storeId == null) { // a new store: the first volume names it
                        storeId = UUID.randomUUID().toString();
                    }
                    writeIfAbsent(volume, storeId, volumes.size(), i);
                }
                Properties p = SmallObjects.readProperties(volume, StoreLayout.STORE_FILE);
                String id = p.getProperty("store.id");
                int count = Integer.parseInt(p.getProperty("root.count", "-1").trim());
                int ordinal = Integer.parseInt(p.getProperty("root.ordinal", "-1").trim());
                if (storeId == null) {
                    storeId = id;
                }
                if (id == null || !id.equals(storeId)) {
                    throw new BucketlogException(volume.location() + " belongs to another store ("
                            + id + ", not " + storeId + ")");
                }
                if (count != volumes.size() || ordinal != i) {
                    throw new BucketlogException(volume.location() + " is directory " + (ordinal + 1)
                            + " of " + count + " of its store, but was given as directory " + (i + 1)
                            + " of " + volumes.size() + ": open the store with the same directories"
                            + " in the same order as when it was created");
                }
            } catch (NumberFormatException e) {
                throw new BucketlogException(file + " is damaged: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new BucketlogException("cannot open store directory " + volume.location()
                        + ": " + e, e);
            }
        }
        return layout;
    }

    private static void writeIfAbsent(Storage volume, String storeId, int count, int ordinal)
            throws IOException {
        Properties p = new Properties();
        p.setProperty("store.id", storeId);
        p.setProperty("root.count", Integer.toString(count));
        p.setProperty("root.ordinal", Integer.toString(ordinal));
        StringWriter text = new StringWriter();
        p.store(text, "Bucketlog store directory");
        // When another process creates it concurrently, it is checked like any existing one.
        volume.putIfAbsent(StoreLayout.STORE_FILE, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}

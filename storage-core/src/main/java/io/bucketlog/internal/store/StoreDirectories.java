package io.bucketlog.internal.store;

import io.bucketlog.backend.file.AtomicCreate;
import io.bucketlog.backend.file.ContainedFiles;
import io.bucketlog.BucketlogException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Checks that the directories a store is opened with are the directories it was created with, in
 * the same order: each root holds a {@code store.properties} naming the store, the number of roots
 * and its own position. Opening with a missing, extra or reordered directory is refused, because
 * readers would then miss data buckets.
 */
public final class StoreDirectories {
    private StoreDirectories() {
    }

    /**
     * Creates the roots if they are new, and checks them.
     *
     * @param create whether to create a store that does not exist yet
     */
    public static FileLayout open(List<Path> roots, boolean create) {
        FileLayout layout = new FileLayout(roots);
        String storeId = null;
        for (int i = 0; i < roots.size(); i++) {
            Path root = roots.get(i).toAbsolutePath().normalize();
            Path file = root.resolve(FileLayout.STORE_FILE);
            try {
                if (!Files.exists(file)) {
                    if (!create) {
                        throw new BucketlogException(root + " is not a Bucketlog store (no "
                                + FileLayout.STORE_FILE + ")");
                    }
                    Files.createDirectories(root);
                    if (storeId == null) { // a new store: the first root names it
                        storeId = UUID.randomUUID().toString();
                    }
                    writeIfAbsent(file, storeId, roots.size(), i);
                }
                Properties p = ContainedFiles.readProperties(file, ContainedFiles.IN_ROOT);
                String id = p.getProperty("store.id");
                int count = Integer.parseInt(p.getProperty("root.count", "-1").trim());
                int ordinal = Integer.parseInt(p.getProperty("root.ordinal", "-1").trim());
                if (storeId == null) {
                    storeId = id;
                }
                if (id == null || !id.equals(storeId)) {
                    throw new BucketlogException(root + " belongs to another store (" + id + ", not "
                            + storeId + ")");
                }
                if (count != roots.size() || ordinal != i) {
                    throw new BucketlogException(root + " is directory " + (ordinal + 1) + " of "
                            + count + " of its store, but was given as directory " + (i + 1) + " of "
                            + roots.size() + ": open the store with the same directories in the same"
                            + " order as when it was created");
                }
            } catch (NumberFormatException e) {
                throw new BucketlogException(file + " is damaged: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new BucketlogException("cannot open store directory " + root + ": " + e, e);
            }
        }
        return layout;
    }

    private static void writeIfAbsent(Path file, String storeId, int count, int ordinal)
            throws IOException {
        Properties p = new Properties();
        p.setProperty("store.id", storeId);
        p.setProperty("root.count", Integer.toString(count));
        p.setProperty("root.ordinal", Integer.toString(ordinal));
        StringWriter text = new StringWriter();
        p.store(text, "Bucketlog store directory");
        // When another process creates it concurrently, it is checked like any existing one.
        AtomicCreate.create(file, ContainedFiles.IN_ROOT, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}

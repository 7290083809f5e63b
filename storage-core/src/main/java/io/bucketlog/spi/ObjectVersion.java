package io.bucketlog.spi;

/**
 * A stable identity of one state of an object, for caches: equal versions mean equal bytes.
 * It never depends on where the bytes are (no inode or disk number), so a cache entry stays
 * valid across a restart and across hosts of a shared backend.
 *
 * @param name the object's name in its storage
 * @param size its size in bytes
 * @param generation what else the backend knows changes with the content: a file's modification
 *        time in nanoseconds, an object store's ETag or version id; never empty
 */
public record ObjectVersion(String name, long size, String generation) {
    public ObjectVersion {
        if (name == null || name.isEmpty() || size < 0 || generation == null || generation.isEmpty()) {
            throw new IllegalArgumentException("invalid object version " + name + " " + size + " "
                    + generation);
        }
    }
}

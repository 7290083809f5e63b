package io.bucketlog.brigade;

import io.bucketlog.internal.store.FileLayout;

/**
 * A data bucket as a window's listing shows it.
 *
 * @param fileName its name in the window directory
 * @param volume the volume (store directory) it is on
 * @param name what its file name says
 * @param sealed whether its writer's index says it was sealed
 * @param bytes its size when listed
 * @param lastModifiedMillis when it last changed, wall clock
 */
record ListedBucket(String fileName, int volume, FileLayout.BucketName name, boolean sealed,
                    long bytes, long lastModifiedMillis) {

    /** How a commit names it. */
    io.bucketlog.internal.format.IndexEntry.BucketRef ref() {
        return new io.bucketlog.internal.format.IndexEntry.BucketRef(name.writerId(),
                name.windowStart(), name.sequence());
    }
}

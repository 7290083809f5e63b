package io.bucketlog.brigade;

import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.store.StoreLayout;

/**
 * A data bucket as a window's listing shows it.
 *
 * @param fileName its name in its directory
 * @param directory its directory: an index window's start, or the roll-up area
 *        ({@link StoreLayout#ROLL_UP_AREA})
 * @param volume the volume (store directory) it is on
 * @param name what its file name says
 * @param sealed whether its writer's index says it was sealed
 * @param wide whether it covers its whole index window (a writer's late bucket, a roll-up)
 * @param bytes its size when listed
 * @param lastModifiedMillis when it last changed, wall clock
 */
record ListedBucket(String fileName, long directory, int volume, StoreLayout.BucketName name, boolean sealed,
                    boolean wide, long bytes, long lastModifiedMillis) {

    /** How a commit names it. */
    IndexEntry.BucketRef ref() {
        return name.ref();
    }

    /** Its object name. */
    String objectName(String stream) {
        return StoreLayout.windowPrefix(stream, directory) + fileName;
    }
}

package io.bucketlog.internal.index;

import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.store.StoreLayout;

/**
 * Where a bucket must lie to be read: a bucket holds one stream's events of one window, and lives
 * in the directory of that window's index window. A bucket found elsewhere (copied into another
 * day's directory or another stream) is a misplaced copy: read there, its events would be
 * returned twice, or as another stream's.
 *
 * @param stream the stream being read
 * @param indexWindowNanos the stream's index window width
 */
public record BucketPlace(String stream, long indexWindowNanos) {
    /** No expectation: for inspecting one file on its own, not for reading a stream. */
    public static final BucketPlace ANY = new BucketPlace(null, 0);

    /**
     * Why a bucket with this name (and header, if readable) does not belong here, or null. With
     * no header, only its directory is checked.
     */
    public String problem(String objectName, StoreLayout.BucketName name, BucketHeader header) {
        if (stream == null) {
            return null;
        }
        long dirStart = StoreLayout.parseWindowName(StoreLayout.directoryName(objectName));
        if (dirStart < 0 || name.windowStart() < dirStart
                || name.windowStart() - dirStart >= indexWindowNanos) {
            return "its window " + StoreLayout.windowName(name.windowStart())
                    + " is not in the index window of its directory";
        }
        if (header != null && !header.stream().equals(stream)) {
            return "it holds stream '" + header.stream() + "', not '" + stream + "'";
        }
        if (header != null && header.windowStart() != name.windowStart()) {
            return "its header names window " + StoreLayout.windowName(header.windowStart())
                    + ", its file name " + StoreLayout.windowName(name.windowStart());
        }
        return null;
    }
}

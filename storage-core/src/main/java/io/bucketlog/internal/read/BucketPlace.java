package io.bucketlog.internal.read;

import io.bucketlog.internal.store.FileLayout;
import io.bucketlog.internal.format.BucketHeader;
import java.nio.file.Path;

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
    public String problem(Path path, FileLayout.BucketName name, BucketHeader header) {
        if (stream == null) {
            return null;
        }
        Path dir = path.getParent();
        long dirStart = dir == null ? -1 : FileLayout.parseWindowName(dir.getFileName().toString());
        if (dirStart < 0 || name.windowStart() < dirStart
                || name.windowStart() - dirStart >= indexWindowNanos) {
            return "its window " + FileLayout.windowName(name.windowStart())
                    + " is not in the index window of its directory";
        }
        if (header != null && !header.stream().equals(stream)) {
            return "it holds stream '" + header.stream() + "', not '" + stream + "'";
        }
        if (header != null && header.windowStart() != name.windowStart()) {
            return "its header names window " + FileLayout.windowName(header.windowStart())
                    + ", its file name " + FileLayout.windowName(name.windowStart());
        }
        return null;
    }
}

package io.bucketlog.internal.index;

import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.store.StoreLayout;

/**
 * Where a bucket must lie to be read: a bucket holds one stream's events of one window, and lives
 * in the directory of that window's index window. A bucket found elsewhere (copied into another
 * day's directory or another stream) is a misplaced copy: read there, its events would be
 * returned twice, or as another stream's.
 *
 * <p>A roll-up (a bucket wider than the index window, named with its width) lies in the stream's
 * roll-up area instead ({@link StoreLayout#ROLL_UP_AREA}), and nowhere else: its width must be a
 * multiple of the index window, its start a multiple of its width (as every window is aligned),
 * and its header must give that width. Any other bucket in the roll-up area is misplaced.
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
        String directory = StoreLayout.directoryName(objectName);
        String rollUp = rollUpProblem(directory, name, header);
        if (rollUp != null || name.rollUpWidthNanos() > 0) {
            return rollUp;
        }
        long dirStart = StoreLayout.parseWindowName(directory);
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

    /** For a roll-up or a bucket in the roll-up area: why it is misplaced, or null. */
    private String rollUpProblem(String directory, StoreLayout.BucketName name, BucketHeader header) {
        boolean inArea = directory.equals(StoreLayout.ROLL_UP_DIRECTORY);
        long width = name.rollUpWidthNanos();
        if (width == 0) {
            return inArea ? "only roll-ups (named with their width) belong in the roll-up area" : null;
        }
        if (!inArea) {
            return "a roll-up belongs in the stream's roll-up area, not in a window directory";
        }
        if (width <= indexWindowNanos || width % indexWindowNanos != 0
                || Math.floorMod(name.windowStart(), width) != 0) {
            return "its width of " + width / 1_000_000_000L + " s does not make a roll-up of the"
                    + " stream's index window starting at " + StoreLayout.windowName(name.windowStart());
        }
        if (header != null && !header.stream().equals(stream)) {
            return "it holds stream '" + header.stream() + "', not '" + stream + "'";
        }
        if (header != null && (header.windowStart() != name.windowStart()
                || header.windowWidth() != width)) {
            return "its header names window " + StoreLayout.windowName(header.windowStart())
                    + " of " + header.windowWidth() / 1_000_000_000L + " s, its file name "
                    + StoreLayout.windowName(name.windowStart()) + " of " + width / 1_000_000_000L
                    + " s";
        }
        return null;
    }
}

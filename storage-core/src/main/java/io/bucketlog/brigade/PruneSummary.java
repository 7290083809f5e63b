package io.bucketlog.brigade;

import java.util.List;

/**
 * What {@link Brigade#prune} deleted, or would delete.
 *
 * @param stream the stream
 * @param windows the index windows, by name, and {@code rollup} if roll-ups (wider than an
 *        index window) were deleted
 * @param objects the files in them
 * @param bytes their bytes
 * @param dryRun whether nothing was deleted
 */
public record PruneSummary(String stream, List<String> windows, int objects, long bytes,
                           boolean dryRun) {
    public PruneSummary {
        windows = List.copyOf(windows);
    }
}

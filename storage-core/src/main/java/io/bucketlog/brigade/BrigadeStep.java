package io.bucketlog.brigade;

/**
 * One thing a brigade did or found, as it happens: for progress output and logs.
 *
 * @param kind what happened
 * @param stream the stream
 * @param window the window's name ({@code 20261201T140000Z}), the index window for retention
 * @param buckets the buckets involved (inputs of a merge, files deleted)
 * @param events events written (for a merge)
 * @param bytes bytes written (for a merge) or deleted
 */
public record BrigadeStep(Kind kind, String stream, String window, int buckets, long events,
                          long bytes) {

    /** What a step was. */
    public enum Kind {
        /** Buckets of one bucket window merged into one key-sorted bucket and committed. */
        MERGED,
        /** Buckets of a whole index window merged into one bucket covering it, and committed. */
        ROLLED_UP,
        /** Another brigade committed the same merge first; this one's output was deleted. */
        LOST_RACE,
        /** Another brigade holds an unexpired claim on the merge: left to it. */
        CLAIMED_ELSEWHERE,
        /** The merge was committed already. */
        ALREADY_DONE,
        /** An input disappeared while being read (merged or deleted by another brigade). */
        INPUT_GONE,
        /** Not merged because of what an input holds; the reason is in the summary's damage. */
        SKIPPED,
        /** A commit's grace period passed: its inputs were deleted. */
        INPUTS_DELETED,
        /** A whole index window was older than the retention: every file of it was deleted. */
        WINDOW_EXPIRED
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " " + stream + " "
                + window + ": " + buckets + " bucket(s)"
                + (events > 0 ? ", " + events + " events" : "") + (bytes > 0 ? ", " + bytes + " bytes" : "");
    }
}

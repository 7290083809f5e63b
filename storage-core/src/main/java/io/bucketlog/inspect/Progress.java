package io.bucketlog.inspect;

/** Told how far a long inspection is, on the inspecting thread. */
@FunctionalInterface
public interface Progress {
    /** Nothing to tell. */
    Progress NONE = (done, total) -> { };

    /** {@code done} of {@code total} objects read. */
    void update(long done, long total);
}

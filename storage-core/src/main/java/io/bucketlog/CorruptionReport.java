package io.bucketlog;

/**
 * A damaged part of a file that a reader skipped. The rest of the file, and every other file, was
 * still read.
 *
 * @param location where the damaged file (object) is: a local store's absolute path, or a URI
 * @param offset byte offset of the damaged block or entry
 * @param problem what is wrong, for a person to read
 */
public record CorruptionReport(String location, long offset, String problem) {
    @Override
    public String toString() {
        return location + " @" + offset + ": " + problem;
    }
}

package io.bucketlog;

import java.nio.file.Path;

/**
 * A damaged part of a file that a reader skipped. The rest of the file, and every other file, was
 * still read.
 *
 * @param file the damaged file
 * @param offset byte offset of the damaged block or entry
 * @param problem what is wrong, for a person to read
 */
public record CorruptionReport(Path file, long offset, String problem) {
    @Override
    public String toString() {
        return file + " @" + offset + ": " + problem;
    }
}

package io.bucketlog.backend.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Forces directories to the device: an fsync of a new file alone does not make its name survive
 * a power loss; its directory entry, and the entries of the directories created for it, must be
 * forced too.
 */
final class DirectorySync {
    private DirectorySync() {
    }

    /** Forces {@code dir}. */
    static void force(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Forces the directory of {@code file} and the {@code levels} directories above it. */
    static void forceParents(Path file, int levels) throws IOException {
        Path dir = file.getParent();
        for (int i = 0; i <= levels && dir != null; i++, dir = dir.getParent()) {
            force(dir);
        }
    }
}

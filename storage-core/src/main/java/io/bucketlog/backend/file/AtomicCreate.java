package io.bucketlog.backend.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Creates a file with its whole content, atomically and without replacing: other processes see
 * either no file or the complete one, and of two processes racing, exactly one creates it. The
 * content is written to a temporary file and hard-linked to the target; {@code link(2)} fails if
 * the target exists, where a rename would silently replace it.
 */
public final class AtomicCreate {
    private AtomicCreate() {
    }

    /**
     * Returns {@code true} if this call created {@code target}, {@code false} if it existed.
     *
     * @param levels how many store directories lie above {@code target}: see {@link ContainedFiles}
     */
    public static boolean create(Path target, int levels, byte[] content) throws IOException {
        Path dir = target.getParent();
        ContainedFiles.createDirectories(dir, levels);
        Path tmp = Files.createTempFile(dir, ".tmp-", ".part");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

package io.bucketlog.backend.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Creates a file with its whole content, atomically and without replacing: other processes see
 * either no file or the complete one, and of two processes racing, exactly one creates it. The
 * content is written to a temporary file and hard-linked to the target; {@code link(2)} fails if
 * the target exists, where a rename would silently replace it.
 *
 * <p>The temporary file is created with the process umask, like every other store file: it
 * becomes the target, and {@code Files.createTempFile} would make it mode 0600, so that another
 * user could read a store's buckets but not its {@code store.properties} or {@code stream.conf}.
 */
final class AtomicCreate {
    /** Prefix of the temporary files; {@link FileStorage} never lists names starting with it. */
    static final String TEMP_PREFIX = ".tmp-";

    private AtomicCreate() {
    }

    /**
     * Returns {@code true} if this call created {@code target}, {@code false} if it existed. When
     * it returns {@code true} the file and its directory entry are on the device.
     *
     * @param levels how many store directories lie above {@code target}: see {@link ContainedFiles}
     */
    static boolean create(Path target, int levels, byte[] content) throws IOException {
        Path dir = target.getParent();
        ContainedFiles.createDirectories(dir, levels);
        Path tmp = dir.resolve(TEMP_PREFIX + UUID.randomUUID() + ".part");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
        DirectorySync.force(dir);
        return true;
    }
}

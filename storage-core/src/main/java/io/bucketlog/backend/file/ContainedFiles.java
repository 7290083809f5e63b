package io.bucketlog.backend.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one way the file backend ({@link FileStorage}) opens, lists and creates anything inside a
 * store directory: it never follows a symbolic link below a root, and opens only regular files.
 *
 * <p>A root may itself be a symbolic link (a store on a mounted disk); everything below it must be
 * a real directory or a regular file. A link in a stream or window directory's place, or a
 * bucket or index file that is a link, would otherwise let a writer create files anywhere the
 * process may write, and a reader serve files from elsewhere as the store's. A FIFO, device or
 * socket named like a store file would block a reader forever on open or feed it without end
 * ({@code /dev/zero}), so only regular files are opened. Either is refused with a
 * {@link FileSystemException} naming the path; readers report it as damage at that path.
 *
 * <p>Each method takes {@code levels}, how many directories lie between the root and the file or
 * directory named (for an object name, its segments less one): 0 for {@code store.properties},
 * 1 for {@code stream.conf} and window directories, 2 for buckets and index buckets.
 * Those directories are checked with {@code lstat}, top down. Checking and then opening is not
 * atomic: a process that may replace directories in the store between the two can still win the
 * race; this guards against misplaced links and special files, not against a concurrent attacker
 * with write access to the store.
 */
final class ContainedFiles {
    private ContainedFiles() {
    }

    /** Opens a regular file for reading. */
    static FileChannel openForReading(Path file, int levels) throws IOException {
        requireRegularFile(file, levels);
        return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** Opens an existing regular file for writing at positions the caller tracks. */
    static FileChannel openForWriting(Path file, int levels) throws IOException {
        requireRegularFile(file, levels);
        return FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /** Creates a new file (failing if anything exists at that name), creating its directories. */
    static FileChannel createNew(Path file, int levels) throws IOException {
        createDirectories(file.getParent(), levels);
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    /** Lists a directory of the store; {@code levels} counts the directory itself. */
    static DirectoryStream<Path> list(Path dir, int levels) throws IOException {
        requireDirectories(dir, levels);
        return Files.newDirectoryStream(dir);
    }

    /**
     * Whether {@code path} is a regular file and not a link (false if it is missing or anything
     * else); its directories are not checked.
     */
    static boolean isRegularFile(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isRegularFile();
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates {@code dir} and the store directories above it that are missing. */
    static void createDirectories(Path dir, int levels) throws IOException {
        Path[] chain = chain(dir, levels);
        for (Path d : chain) {
            try {
                Files.createDirectory(d);
            } catch (FileAlreadyExistsException exists) {
                requireDirectory(d);
            }
        }
    }

    private static void requireRegularFile(Path file, int levels) throws IOException {
        requireDirectories(file.getParent(), levels);
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw link(file);
        }
        if (!a.isRegularFile()) {
            throw new FileSystemException(file.toString(), null,
                    "not a regular file (a directory, FIFO, device or socket): not opened");
        }
    }

    /**
     * Checks the {@code levels} directories ending at {@code dir}, top down.
     *
     * @return the attributes of {@code dir} itself, or {@code null} when {@code levels} is 0
     */
    static BasicFileAttributes requireDirectories(Path dir, int levels) throws IOException {
        BasicFileAttributes last = null;
        for (Path d : chain(dir, levels)) {
            last = requireDirectory(d);
        }
        return last;
    }

    private static BasicFileAttributes requireDirectory(Path d) throws IOException {
        BasicFileAttributes a = Files.readAttributes(d, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw link(d);
        }
        if (!a.isDirectory()) {
            throw new FileSystemException(d.toString(), null, "not a directory");
        }
        return a;
    }

    /** {@code dir} and its parents, {@code levels} of them in all, outermost first. */
    private static Path[] chain(Path dir, int levels) {
        Path[] out = new Path[levels];
        Path d = dir;
        for (int i = levels - 1; i >= 0; i--) {
            if (d == null) {
                throw new IllegalArgumentException(dir + " is not " + levels + " levels below a root");
            }
            out[i] = d;
            d = d.getParent();
        }
        return out;
    }

    private static FileSystemException link(Path p) {
        return new FileSystemException(p.toString(), null, "is a symbolic link: Bucketlog does not"
                + " follow links inside a store, so that nothing is read from or written outside it");
    }
}

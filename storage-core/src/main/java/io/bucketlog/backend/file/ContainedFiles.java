package io.bucketlog.backend.file;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Properties;

/**
 * The one way Bucketlog opens, lists and creates anything inside a store: readers and writers
 * never follow a symbolic link below a root, and open only regular files.
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
 * directory named: {@link #IN_ROOT} for {@code store.properties}, {@link #IN_STREAM} for
 * {@code stream.conf} and window directories, {@link #IN_WINDOW} for buckets and index buckets.
 * Those directories are checked with {@code lstat}, top down. Checking and then opening is not
 * atomic: a process that may replace directories in the store between the two can still win the
 * race; this guards against misplaced links and special files, not against a concurrent attacker
 * with write access to the store.
 */
public final class ContainedFiles {
    /** {@code levels} of a file directly in a root. */
    public static final int IN_ROOT = 0;
    /** {@code levels} of a file or directory in a stream directory. */
    public static final int IN_STREAM = 1;
    /** {@code levels} of a file in a window directory. */
    public static final int IN_WINDOW = 2;

    /** The most a store's properties file may hold. */
    public static final int MAX_PROPERTIES_BYTES = 64 * 1024;

    private ContainedFiles() {
    }

    /** Opens a regular file for reading. */
    public static FileChannel openForReading(Path file, int levels) throws IOException {
        requireRegularFile(file, levels);
        return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** Opens an existing regular file for writing at positions the caller tracks. */
    public static FileChannel openForWriting(Path file, int levels) throws IOException {
        requireRegularFile(file, levels);
        return FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /** Creates a new file (failing if anything exists at that name), creating its directories. */
    public static FileChannel createNew(Path file, int levels) throws IOException {
        createDirectories(file.getParent(), levels);
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Reads a small regular file whole, refusing one larger than {@code maxBytes} before reading
     * it, so that a damaged or hostile configuration file costs no more memory than that.
     */
    public static byte[] readSmall(Path file, int levels, int maxBytes) throws IOException {
        try (FileChannel ch = openForReading(file, levels)) {
            long size = ch.size();
            if (size > maxBytes) {
                throw new FileSystemException(file.toString(), null,
                        "is " + size + " bytes, more than the " + maxBytes + " such a file may hold");
            }
            ByteBuffer b = ByteBuffer.allocate((int) size + 1);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // until full or the end of the file
            }
            if (b.position() > size) { // it grew while we read it
                throw new FileSystemException(file.toString(), null,
                        "grew past " + size + " bytes while being read");
            }
            byte[] out = new byte[b.position()];
            System.arraycopy(b.array(), 0, out, 0, out.length);
            return out;
        }
    }

    /**
     * Reads a small properties file of the store ({@code stream.conf}, {@code store.properties}),
     * bounded to {@value #MAX_PROPERTIES_BYTES} bytes before anything is read: such files hold a
     * few short lines, and a damaged one (a huge file, a link to a device) must cost no memory.
     */
    public static Properties readProperties(Path file, int levels) throws IOException {
        byte[] bytes = ContainedFiles.readSmall(file, levels, MAX_PROPERTIES_BYTES);
        Properties p = new Properties();
        try (Reader r = new StringReader(new String(bytes, StandardCharsets.UTF_8))) {
            p.load(r);
        } catch (IllegalArgumentException e) { // a malformed Unicode escape
            throw new FileSystemException(file.toString(), null, "not a properties file: "
                    + e.getMessage());
        }
        return p;
    }

    /** Lists a directory of the store; {@code levels} counts the directory itself. */
    public static DirectoryStream<Path> list(Path dir, int levels) throws IOException {
        requireDirectories(dir, levels);
        return Files.newDirectoryStream(dir);
    }

    /**
     * Whether {@code path} is a regular file and not a link (false if it is missing or anything
     * else); its directories are not checked.
     */
    public static boolean isRegularFile(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isRegularFile();
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates {@code dir} and the store directories above it that are missing. */
    public static void createDirectories(Path dir, int levels) throws IOException {
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

    /** Checks the {@code levels} directories ending at {@code dir}, top down. */
    private static void requireDirectories(Path dir, int levels) throws IOException {
        for (Path d : chain(dir, levels)) {
            requireDirectory(d);
        }
    }

    private static void requireDirectory(Path d) throws IOException {
        BasicFileAttributes a = Files.readAttributes(d, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw link(d);
        }
        if (!a.isDirectory()) {
            throw new FileSystemException(d.toString(), null, "not a directory");
        }
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

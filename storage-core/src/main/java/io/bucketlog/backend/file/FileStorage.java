package io.bucketlog.backend.file;

import io.bucketlog.spi.AppendableObject;
import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.ObjectExistsException;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Storage} over one directory: a name {@code a/b/c} is the file {@code <root>/a/b/c}, and
 * every access goes through {@link ContainedFiles} with the name's depth as its {@code levels}, so
 * that nothing below the root is a link and only regular files are opened. Creates go through
 * {@link AtomicCreate} ({@code link(2)}) or {@code O_CREAT|O_EXCL}; appends are positional writes
 * cut back on failure ({@link FileAppendable}). A version's generation is the file's
 * modification time in nanoseconds: with the size, it changes with every append, and unlike an
 * inode it does not change when a store is copied or restored.
 */
public final class FileStorage implements Storage {
    /** The stamp of a prefix whose directory (or one above it) does not exist. */
    private static final String ABSENT = "absent";

    private final Path root;

    /** A storage over {@code root}, which must exist (it may be a link to a directory). */
    public FileStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The directory, absolute. */
    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public String locationOf(String name) {
        return path(name).toString();
    }

    /** The file of {@code name}. */
    public Path path(String name) {
        return root.resolve(checkName(name));
    }

    /**
     * The name of a file below the root ({@code <root>/a/b/c} is {@code a/b/c}): for tools and
     * tests that start from a path.
     *
     * @throws IllegalArgumentException if it is not below the root
     */
    public String nameOf(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (!abs.startsWith(root) || abs.equals(root)) {
            throw new IllegalArgumentException(file + " is not below " + root);
        }
        return checkName(root.relativize(abs).toString().replace(java.io.File.separatorChar, '/'));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        int levels = prefixLevels(prefix);
        Path dir = prefix.isEmpty() ? root : root.resolve(prefix.substring(0, prefix.length() - 1));
        List<String> out = new ArrayList<>();
        DirectoryStream<Path> entries;
        try {
            entries = levels == 0 ? Files.newDirectoryStream(dir) : ContainedFiles.list(dir, levels);
        } catch (NoSuchFileException e) {
            return out;
        } catch (FileSystemException e) {
            // Asked only on failure, which is rare: the usual case costs the check's lstats alone.
            if (notAnObjectPlace(dir) || ContainedFiles.isRegularFile(dir)) {
                return out; // an object is not a prefix
            }
            if (e instanceof NotDirectoryException) {
                throw new FileSystemException(dir.toString(), null, "not a directory");
            }
            throw e;
        }
        try (entries) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if (n.startsWith(AtomicCreate.TEMP_PREFIX)) {
                    continue;
                }
                // Classified following links, so that a link in a directory's place is listed as
                // one and listing it reports the link.
                out.add(Files.isDirectory(p) ? n + "/" : n);
            }
        }
        return out;
    }

    /**
     * The directory's modification time (nanoseconds) and file key (device and inode): creating,
     * deleting or renaming a name in a directory sets its modification time, and a directory
     * replaced by another has another inode. Every level down to it is checked as a real
     * directory first, so a stamp vouches for a place that holds no link. A missing directory has
     * one stamp of its own: its listing is empty whenever it is missing.
     */
    @Override
    public String listingStamp(String prefix) throws IOException {
        int levels = prefixLevels(prefix);
        if (levels == 0) {
            return null; // the root may be a link; its listing is rare
        }
        Path dir = root.resolve(prefix.substring(0, prefix.length() - 1));
        BasicFileAttributes a;
        try {
            a = ContainedFiles.requireDirectories(dir, levels);
        } catch (NoSuchFileException e) {
            return ABSENT; // nothing to list (a stream without roll-ups): the stamp says so itself
        } catch (IOException e) {
            return null; // not a real directory: the listing says what it is
        }
        return a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS) + "@" + a.fileKey();
    }

    @Override
    public Optional<ObjectVersion> stat(String name) throws IOException {
        return attributes(name, true).map(a -> version(name, a));
    }

    /**
     * One {@code lstat}, of the file itself: the listing or stamp of its directory checked every
     * level down to it moments before. A link or a special file at the name is refused as by
     * {@link #stat}; a directory above it replaced by a link since is followed, which widens by
     * those moments the check-then-open race that {@link ContainedFiles} already leaves open.
     */
    @Override
    public Optional<ObjectVersion> statListed(String name) throws IOException {
        return attributes(name, false).map(a -> version(name, a));
    }

    /** A file's modification time is this host's clock (or its file server's, for a network file system). */
    @Override
    public Optional<Instant> lastModified(String name) throws IOException {
        return attributes(name, true).map(a -> a.lastModifiedTime().toInstant());
    }

    /**
     * The attributes of the regular file {@code name}, or empty if no object is there.
     *
     * @param checkDirectories whether to check each directory level first ({@link #statListed})
     */
    private Optional<BasicFileAttributes> attributes(String name, boolean checkDirectories)
            throws IOException {
        Path file = path(name);
        BasicFileAttributes a;
        try {
            if (checkDirectories) {
                ContainedFiles.requireDirectories(file.getParent(), levels(name));
            }
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            if (notAnObjectPlace(file)) {
                return Optional.empty(); // asked only on failure, as in list
            }
            throw e;
        }
        if (a.isDirectory()) {
            return Optional.empty(); // a prefix is not an object
        }
        if (!a.isRegularFile()) {
            // Opening it reports what it is, at its place.
            ContainedFiles.openForReading(file, levels(name)).close();
        }
        return Optional.of(a);
    }

    /**
     * Whether a regular file lies above {@code path} below the root: then nothing can be at
     * {@code path}, which the file system reports as "not a directory" rather than "missing".
     */
    private boolean notAnObjectPlace(Path path) {
        for (Path p = path.getParent(); p != null && p.startsWith(root) && !p.equals(root);
                p = p.getParent()) {
            if (ContainedFiles.isRegularFile(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRealDirectory(Path path) {
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
    }

    static ObjectVersion version(String name, BasicFileAttributes a) {
        return new ObjectVersion(name, a.size(), Long.toString(
                a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)));
    }

    @Override
    public ReadableObject openRead(String name) throws IOException {
        Path file = path(name);
        try {
            return new FileReadable(name, file, ContainedFiles.openForReading(file, levels(name)));
        } catch (NoSuchFileException e) {
            throw missing(name, e);
        } catch (FileSystemException e) {
            if (notAnObjectPlace(file) || isRealDirectory(file)) {
                throw new NoSuchObjectException(file.toString()); // asked only on failure, as in list
            }
            throw e;
        }
    }

    @Override
    public boolean putIfAbsent(String name, byte[] content) throws IOException {
        return AtomicCreate.create(path(name), levels(name), content);
    }

    @Override
    public AppendableObject create(String name) throws IOException {
        Path file = path(name);
        FileChannel ch;
        try {
            ch = ContainedFiles.createNew(file, levels(name));
        } catch (FileAlreadyExistsException e) {
            ObjectExistsException exists = new ObjectExistsException(file.toString());
            exists.initCause(e);
            throw exists;
        }
        return new FileAppendable(name, file, levels(name), ch, 0, false);
    }

    @Override
    public AppendableObject reopen(String name, long expectedSize) throws IOException {
        Path file = path(name);
        FileChannel ch;
        try {
            ch = ContainedFiles.openForWriting(file, levels(name));
        } catch (NoSuchFileException e) {
            throw missing(name, e);
        }
        try {
            long now = ch.size();
            if (now != expectedSize) {
                throw new IOException(file + " has " + now + " bytes, not the " + expectedSize
                        + " this writer left; it is no longer appended to");
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new FileAppendable(name, file, levels(name), ch, expectedSize, true);
    }

    @Override
    public boolean delete(String name) throws IOException {
        Path file = path(name);
        BasicFileAttributes a;
        try {
            ContainedFiles.requireDirectories(file.getParent(), levels(name));
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (a.isDirectory()) {
            throw new FileSystemException(file.toString(), null, "is a directory, not an object");
        }
        return Files.deleteIfExists(file); // a link is removed, not what it points to
    }

    @Override
    public void close() {
        // holds nothing
    }

    @Override
    public String toString() {
        return location();
    }

    private NoSuchObjectException missing(String name, NoSuchFileException cause) {
        NoSuchObjectException e = new NoSuchObjectException(locationOf(name));
        e.initCause(cause);
        return e;
    }

    /** How many directories lie between the root and the object: its segments less one. */
    static int levels(String name) {
        int n = 0;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }

    private static int prefixLevels(String prefix) {
        if (prefix.isEmpty()) {
            return 0;
        }
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("a prefix is \"\" or ends with '/': " + prefix);
        }
        checkName(prefix.substring(0, prefix.length() - 1));
        return levels(prefix);
    }

    /** Checks the form the SPI gives names, so that no name reaches outside the root. */
    static String checkName(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.endsWith("/")) {
            throw new IllegalArgumentException("invalid object name \"" + name + "\"");
        }
        int start = 0;
        while (start <= name.length()) {
            int end = name.indexOf('/', start);
            if (end < 0) {
                end = name.length();
            }
            checkSegment(name, name.substring(start, end));
            start = end + 1;
        }
        return name;
    }

    private static void checkSegment(String name, String segment) {
        boolean ok = !segment.isEmpty() && segment.charAt(0) != '.';
        for (int i = 0; ok && i < segment.length(); i++) {
            char c = segment.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
        }
        if (!ok) {
            throw new IllegalArgumentException("invalid object name \"" + name + "\": segments are"
                    + " [A-Za-z0-9._-] and do not start with '.'");
        }
    }
}

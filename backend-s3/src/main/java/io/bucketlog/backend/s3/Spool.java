package io.bucketlog.backend.s3;

import io.bucketlog.spi.SpoolFullException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * This process's spool for one storage location: {@code ROOT/LOCATION-HASH/WRITER/}, holding a
 * {@link SpoolEntry} per growing object and a {@code lock} file this process holds locked while
 * it lives. The operating system drops the lock when the process dies, even by SIGKILL, so a
 * sibling directory whose lock can be taken belongs to a dead writer and is {@linkplain
 * #deadWriters recovered}. A writer directory is made by the first create or reopen (a storage
 * only read from makes none), under a name starting with {@code .}, and renamed once locked, so
 * no one takes an unlocked new directory for a dead one.
 *
 * <p>The limit counts the bytes of this spool's entries; an append beyond it is refused whole.
 */
final class Spool implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path locationDir;
    private final long limit;
    private final AtomicLong used = new AtomicLong();
    // made on the first create or reopen: a storage only read from leaves no trace in the spool
    private Path dir;
    private FileChannel lockChannel;
    private FileLock lock;

    private Spool(Path locationDir, long limit) {
        this.locationDir = locationDir;
        this.limit = limit;
    }

    /** This process's spool for {@code locationId} under {@code root}; nothing is made yet. */
    static Spool open(Path root, String locationId, long limit) {
        return new Spool(root.resolve(hash(locationId)), limit);
    }

    /** Makes this process's directory, locked, the first time. */
    synchronized Path dir() throws IOException {
        if (dir == null) {
            Files.createDirectories(locationDir);
            String id = ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
            Path making = locationDir.resolve("." + id);
            Files.createDirectory(making);
            FileChannel c = FileChannel.open(making.resolve("lock"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            FileLock l = c.lock();
            Path d = locationDir.resolve(id);
            Files.move(making, d, StandardCopyOption.ATOMIC_MOVE);
            lockChannel = c;
            lock = l;
            dir = d;
        }
        return dir;
    }

    /** Where this process's directory is or would be, for messages. */
    synchronized String where() {
        return dir != null ? dir.toString() : locationDir.toString();
    }

    private static String hash(String locationId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(locationId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }

    /** Counts {@code bytes} more against the limit, or refuses them all. */
    void reserve(long bytes) throws SpoolFullException {
        while (true) {
            long u = used.get();
            if (u + bytes > limit) {
                throw new SpoolFullException(where() + ": spool full (" + u + " of " + limit + " bytes wait to be"
                        + " uploaded; " + bytes + " more refused)");
            }
            if (used.compareAndSet(u, u + bytes)) {
                return;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }

    /** A dead writer's spool, locked by this process until {@link #close()}. */
    static final class DeadWriter implements AutoCloseable {
        private final Path dir;
        private final FileChannel channel;
        private final FileLock lock;

        private DeadWriter(Path dir, FileChannel channel, FileLock lock) {
            this.dir = dir;
            this.channel = channel;
            this.lock = lock;
        }

        Path dir() {
            return dir;
        }

        /** The records of the objects it left ({@link SpoolEntry#load} reads each). */
        List<Path> records() throws IOException {
            List<Path> out = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.state")) {
                s.forEach(out::add);
            }
            return out;
        }

        /** Removes its directory: everything it held is in the store. */
        void remove() throws IOException {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }

        @Override
        public void close() throws IOException {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        }
    }

    /** The spools of this location's writers on this host that are dead, each locked for this process. */
    List<DeadWriter> deadWriters() throws IOException {
        List<DeadWriter> out = new ArrayList<>();
        if (!Files.isDirectory(locationDir)) {
            return out;
        }
        Path own;
        synchronized (this) {
            own = dir;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(locationDir)) {
            for (Path d : s) {
                if (d.equals(own) || d.getFileName().toString().startsWith(".") || !Files.isDirectory(d)) {
                    continue;
                }
                FileChannel c;
                try {
                    c = FileChannel.open(d.resolve("lock"), StandardOpenOption.WRITE);
                } catch (IOException gone) {
                    continue; // being removed by whoever recovered it
                }
                FileLock l;
                try {
                    l = c.tryLock();
                } catch (OverlappingFileLockException alive) {
                    l = null; // another storage of this JVM holds it
                }
                if (l == null) {
                    c.close();
                } else {
                    out.add(new DeadWriter(d, c, l));
                }
            }
        }
        return out;
    }

    /** Releases the lock; the directory is removed if nothing is left in it. */
    @Override
    public synchronized void close() throws IOException {
        if (dir == null) {
            return;
        }
        boolean empty;
        try (Stream<Path> files = Files.list(dir)) {
            empty = files.allMatch(p -> p.getFileName().toString().equals("lock"));
        }
        if (empty) {
            Files.deleteIfExists(dir.resolve("lock"));
            Files.deleteIfExists(dir);
        }
        lock.release();
        lockChannel.close();
    }
}

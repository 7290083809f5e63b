package io.bucketlog.spi;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One root of a store: a directory, or a prefix in an object-store bucket. A store of several
 * directories (one per disk) is several storages; the engine decides which name goes to which.
 *
 * <p>Implementations are thread-safe and may be used by several processes (and hosts, for a
 * shared backend) at once: every contract below holds across processes, not only threads.
 * Failures are {@link IOException}s whose message names the location; a missing object is always
 * {@link NoSuchObjectException}.
 */
public interface Storage extends AutoCloseable {

    /** Where this storage is, for messages: a directory path, or {@code s3://bucket/prefix}. */
    String location();

    /** Where {@code name} is or would be, for messages and reports. Never touches the storage. */
    String locationOf(String name);

    /**
     * The entries directly under {@code prefix}, in no particular order: objects by their last
     * segment, and prefixes holding objects by their last segment followed by {@code /}.
     *
     * <p>{@code prefix} is {@code ""} for the root or ends with {@code /}. A prefix with nothing
     * under it gives an empty list, not an error. A listing that races creates and deletes may or
     * may not show the objects involved, but it never shows an object that was completely deleted
     * before the listing began, and it shows every object whose create returned before it began.
     * Entries the backend cannot vouch for (on a file system: a symbolic link, a FIFO) are still
     * listed, so that reading them reports the problem at its location.
     *
     * @throws IOException if the prefix cannot be listed (it is a link, permissions); never for a
     *         missing prefix
     */
    List<String> list(String prefix) throws IOException;

    /**
     * A stamp of the names directly under {@code prefix}, cheaper to get than a {@link #list}
     * (a file backend: one {@code lstat} per directory level), or {@code null} where the backend
     * has none (an object store: the stamp would cost a listing), or when the prefix is not a
     * real directory (a listing then says what it is).
     *
     * <p>Contract: two stamps of a prefix are equal only if no name under it was created, deleted
     * or renamed between them, except that changes within one tick of the backend's clock may
     * leave the stamp as it was (a modification time ticks at 4 ms to 1 s, never more than
     * {@link #STAMP_TICK}). So a cache may trust an equal stamp only once the stamp has stayed
     * the same for longer than that tick (see the reader's listing cache).
     */
    default String listingStamp(String prefix) throws IOException {
        return null;
    }

    /** The coarsest clock tick a {@link #listingStamp} may have. */
    Duration STAMP_TICK = Duration.ofSeconds(1);

    /**
     * The current version of an object, or empty if there is none. A growing object's version
     * changes with every append that is visible to readers.
     */
    Optional<ObjectVersion> stat(String name) throws IOException;

    /**
     * {@link #stat}, for a name the caller has just found under its prefix by a {@link #list} or
     * vouched for by a {@link #listingStamp} of that prefix, in the same operation: a backend
     * may leave out the checks of the prefix that the listing or stamp made, and check only the
     * object. The answers are those of {@link #stat} whenever the prefix has not been replaced
     * since (on files: by a link, which {@code stat} refuses), and a reader's catalog lists or
     * stamps every window of a query before it asks for its objects, so a prefix replaced before
     * a query is refused by that query. On files those checks are an {@code lstat} per directory
     * level, which a short query otherwise made again for each object it read.
     */
    default Optional<ObjectVersion> statListed(String name) throws IOException {
        return stat(name);
    }

    /**
     * When the object last changed (was created, grew visibly, was sealed), as this host's clock
     * read at that moment, or empty if there is no such object. The brigade takes an unsealed
     * bucket or an index bucket that has not changed for long enough as left by a dead writer, so
     * the instant must be comparable with this host's clock even when another clock stamped it: a
     * file's modification time is the file system's clock (this host's, or a file server's); an
     * object store stamps its objects with its own clock, and the backend moves that stamp by the
     * difference between the store's clock (the time its answer carries) and this host's at the
     * same request. So a host whose clock is off, or writers whose clocks are, never make a live
     * object look idle. Accurate to about a second; it never depends on {@link #stat}'s version.
     */
    Optional<Instant> lastModified(String name) throws IOException;

    /**
     * Opens an object to read byte ranges. What the handle reads is the object as it grows (see
     * {@link ReadableObject#size()}); an object deleted while the handle is open may still be
     * read to its end on a backend that can (a local file), or fail with
     * {@link NoSuchObjectException} on one that cannot. The engine deletes only after a grace
     * period longer than any read, so both are correct.
     *
     * @throws NoSuchObjectException if there is no such object
     * @throws IOException if it exists but is not something this storage reads (a link, a FIFO)
     */
    ReadableObject openRead(String name) throws IOException;

    /**
     * Creates an object with all of {@code content}, atomically and without replacing: readers
     * see no object or the whole of it, and of several callers racing for one name (threads,
     * processes, hosts) exactly one gets {@code true}. The others get {@code false} and may read
     * the winner's object at once. When this returns {@code true} the object is durable (on a
     * file system: file and directory entry forced to the device).
     *
     * @return whether this call created the object
     * @throws IOException if the outcome is unknown or nothing was created for another reason;
     *         then no partial object is visible
     */
    boolean putIfAbsent(String name, byte[] content) throws IOException;

    /**
     * Creates a new, empty object that only the caller will append to.
     *
     * @throws ObjectExistsException if an object of that name exists (nothing is changed)
     */
    AppendableObject create(String name) throws IOException;

    /**
     * Opens an object this caller created earlier (and closed) to append more. It must still have
     * {@code expectedSize} bytes: another size means someone else changed it, and it is refused.
     *
     * @throws NoSuchObjectException if it is gone
     * @throws IOException if its size is not {@code expectedSize}
     */
    AppendableObject reopen(String name, long expectedSize) throws IOException;

    /**
     * Deletes an object, and on a backend that has them its empty parent directories are left
     * alone. A handle already open may go on reading (see {@link #openRead}).
     *
     * @return {@code false} if there was no such object (deleting twice is not an error)
     */
    boolean delete(String name) throws IOException;

    /**
     * How long an append may take to become visible to other processes and hosts: zero where
     * appends are visible in place (a file system), an object store's publish interval. A tail
     * that polls much more often than this only pays for requests that find nothing new.
     */
    default Duration publishInterval() {
        return Duration.ZERO;
    }

    /** Releases what the storage holds (connections, threads). Objects stay as they are. */
    @Override
    void close() throws IOException;
}

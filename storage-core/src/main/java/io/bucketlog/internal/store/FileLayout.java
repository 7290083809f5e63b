package io.bucketlog.internal.store;

import io.bucketlog.Names;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where files live in a file store of one or more root directories:
 *
 * <pre>
 *   &lt;root&gt;/store.properties                                   (every root)
 *   &lt;root0&gt;/&lt;stream&gt;/stream.conf                                (first root only)
 *   &lt;root&gt;/&lt;stream&gt;/&lt;index-window&gt;/index-&lt;writerId&gt;.idx            (first root only)
 *   &lt;root&gt;/&lt;stream&gt;/&lt;index-window&gt;/&lt;bucket-window&gt;-&lt;writerId&gt;-&lt;seq&gt;.bkt  (any root)
 *   &lt;root&gt;/&lt;stream&gt;/&lt;index-window&gt;/&lt;index-window&gt;-&lt;writerId&gt;-&lt;seq&gt;-late.bkt  (any root)
 * </pre>
 *
 * A {@code -late} bucket covers its whole index window instead of one bucket width: the writer
 * puts events whose index window has already ended there, so that a burst of events for many
 * old windows makes one file per index window rather than one per bucket window.
 *
 * Windows are named by their first instant in UTC, {@code 20261126T140000Z}, so a person can find
 * a day with {@code ls} and a reader computes the names a time range needs instead of listing.
 * Index buckets stay on the first root so that a reader finds every writer with one listing per
 * window; data buckets rotate over the roots by bucket sequence to spread the write load.
 */
public final class FileLayout {
    public static final String STORE_FILE = "store.properties";
    public static final String STREAM_CONFIG_FILE = "stream.conf";
    private static final DateTimeFormatter WINDOW_NAME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern BUCKET_NAME =
            Pattern.compile("(\\d{8}T\\d{6}Z)-([0-9a-z]{1,64})-(\\d{1,18})(-late)?\\.bkt");
    private static final Pattern INDEX_NAME = Pattern.compile("index-([0-9a-z]{1,64})\\.idx");

    private final List<Path> roots;

    public FileLayout(List<Path> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("a store needs at least one directory");
        }
        this.roots = List.copyOf(roots);
    }

    public List<Path> roots() {
        return roots;
    }

    public Path root(int ordinal) {
        return roots.get(ordinal);
    }

    public Path streamDir(int root, String stream) {
        return roots.get(root).resolve(Names.checkStream(stream));
    }

    public Path streamConfig(String stream) {
        return streamDir(0, stream).resolve(STREAM_CONFIG_FILE);
    }

    /**
     * Version {@code n} (from 1) of a stream's configuration: {@code stream.conf} is the first,
     * {@code stream.conf.2} the next, and so on ({@link StreamCatalog} says why).
     */
    public Path streamConfig(String stream, int version) {
        return version == 1 ? streamConfig(stream)
                : streamDir(0, stream).resolve(STREAM_CONFIG_FILE + "." + version);
    }

    public Path windowDir(int root, String stream, long indexWindowStart) {
        return streamDir(root, stream).resolve(windowName(indexWindowStart));
    }

    public Path indexFile(String stream, long indexWindowStart, String writerId) {
        return windowDir(0, stream, indexWindowStart).resolve("index-" + writerId + ".idx");
    }

    public Path bucketFile(int root, String stream, long indexWindowStart, long bucketWindowStart,
                           String writerId, long sequence) {
        return bucketFile(root, stream, indexWindowStart,
                new BucketName(bucketWindowStart, writerId, sequence));
    }

    public Path bucketFile(int root, String stream, long indexWindowStart, BucketName name) {
        return windowDir(root, stream, indexWindowStart).resolve(bucketFileName(name));
    }

    public static String bucketFileName(long bucketWindowStart, String writerId, long sequence) {
        return bucketFileName(new BucketName(bucketWindowStart, writerId, sequence));
    }

    public static String bucketFileName(BucketName name) {
        return windowName(name.windowStart()) + "-" + name.writerId() + "-" + name.sequence()
                + (name.late() ? "-late.bkt" : ".bkt");
    }

    /** The name of the window starting at {@code startNanos}. */
    public static String windowName(long startNanos) {
        return WINDOW_NAME.format(Instant.ofEpochSecond(Math.floorDiv(startNanos, 1_000_000_000L)));
    }

    /** The start in nanoseconds of a window directory name, or -1 if it is not one. */
    public static long parseWindowName(String name) {
        if (name.length() != 16) {
            return -1;
        }
        try {
            return Instant.from(WINDOW_NAME.parse(name)).getEpochSecond() * 1_000_000_000L;
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    /**
     * A data bucket's identity, as parsed from its file name.
     *
     * @param late whether it is a late bucket, covering its whole index window
     */
    public record BucketName(long windowStart, String writerId, long sequence, boolean late) {
        /** A bucket of one bucket width. */
        public BucketName(long windowStart, String writerId, long sequence) {
            this(windowStart, writerId, sequence, false);
        }

        /** The first nanosecond after the bucket's window. */
        public long windowEnd(long bucketWidthNanos, long indexWindowNanos) {
            return windowStart + (late ? indexWindowNanos : bucketWidthNanos);
        }
    }

    /** Parses a data bucket file name, or returns {@code null} if it is not one. */
    public static BucketName parseBucketName(String fileName) {
        Matcher m = BUCKET_NAME.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        long start = parseWindowName(m.group(1));
        return start < 0 ? null : new BucketName(start, m.group(2), Long.parseLong(m.group(3)),
                m.group(4) != null);
    }

    /** The writer id of an index file name, or {@code null} if it is not one. */
    public static String parseIndexName(String fileName) {
        Matcher m = INDEX_NAME.matcher(fileName);
        return m.matches() ? m.group(1) : null;
    }
}

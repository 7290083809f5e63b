package io.bucketlog.internal.store;

import io.bucketlog.Names;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.spi.Storage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where objects live in a store of one or more volumes (a volume is one {@link Storage}: a
 * directory, or a prefix of an object-store bucket), by name:
 *
 * <pre>
 *   store.properties                                   (every volume)
 *   -names/&lt;stream in lower case&gt;                         (volume 0 only: who took a name, see {@link #streamNameClaim})
 *   &lt;stream&gt;/stream.conf                                (volume 0 only)
 *   &lt;stream&gt;/&lt;index-window&gt;/index-&lt;writerId&gt;.idx            (volume 0 only)
 *   &lt;stream&gt;/&lt;index-window&gt;/commit-&lt;hex&gt;.idx                (volume 0 only: a compactor's commit)
 *   &lt;stream&gt;/&lt;index-window&gt;/&lt;bucket-window&gt;-&lt;writerId&gt;-&lt;seq&gt;.bkt  (any volume)
 *   &lt;stream&gt;/&lt;index-window&gt;/&lt;index-window&gt;-&lt;writerId&gt;-&lt;seq&gt;-late.bkt  (any volume)
 *   &lt;stream&gt;/rollup/&lt;start&gt;-&lt;writerId&gt;-&lt;seq&gt;-rollup-&lt;width seconds&gt;.bkt  (any volume: a roll-up)
 *   &lt;stream&gt;/rollup/index-&lt;writerId&gt;.idx, commit-&lt;hex&gt;.idx        (volume 0: the roll-ups' index and commits)
 * </pre>
 *
 * The <b>roll-up area</b> {@code <stream>/rollup/} holds a compactor's buckets wider than the
 * index window (a month of a stream whose index window is a day). It is laid out as one more
 * window directory, named {@code rollup} instead of a time ({@link #ROLL_UP_AREA} in the methods
 * that take a window start), so every reader lists it once per query, whatever the range: a
 * bucket there may cover any time, and its width is in its name, so that it is placed and pruned
 * before it is opened. {@code io.bucketlog.internal.index.BucketCatalog} says how its commits
 * hide buckets of other directories.
 *
 * A {@code -late} bucket covers its whole index window instead of one bucket width: the writer
 * puts events whose index window has already ended there, so that a burst of events for many
 * old windows makes one file per index window rather than one per bucket window.
 *
 * Windows are named by their first instant in UTC, {@code 20261126T140000Z}, so a person can find
 * a day with {@code ls} and a reader computes the names a time range needs instead of listing.
 * Index buckets stay on volume 0 so that a reader finds every writer with one listing per
 * window; data buckets rotate over the volumes by bucket sequence to spread the write load.
 * Which names of a window are buckets and index files is the bucket catalog's business
 * ({@code io.bucketlog.internal.index}).
 */
public final class StoreLayout {
    public static final String STORE_FILE = "store.properties";

    /**
     * The object that says which stream took a name, whatever its case: created with
     * put-if-absent before the stream's {@code stream.conf} and holding the stream's exact name,
     * so of two processes creating {@code App} and {@code app} at once exactly one succeeds
     * (Windows and macOS file systems would give the two one directory). A stream name never
     * starts with {@code -}, so this can never be a stream's directory.
     */
    public static String streamNameClaim(String stream) {
        return "-names/" + Names.checkStream(stream).toLowerCase(Locale.ROOT);
    }
    public static final String STREAM_CONFIG_FILE = "stream.conf";
    private static final DateTimeFormatter WINDOW_NAME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern BUCKET_NAME = Pattern.compile(
            "(\\d{8}T\\d{6}Z)-([0-9a-z]{1,64})-(\\d{1,18})(-late|-merged|-rollup-([1-9]\\d{0,11}))?\\.bkt");
    /**
     * The window start that stands for the roll-up area in {@link #windowPrefix} and
     * {@link #windowName}: no window starts there (a window directory's name is a time from
     * year 0000 on).
     */
    public static final long ROLL_UP_AREA = Long.MIN_VALUE;
    /** The roll-up area's directory name. */
    public static final String ROLL_UP_DIRECTORY = "rollup";
    private static final Pattern INDEX_NAME = Pattern.compile("index-([0-9a-z]{1,64})\\.idx");
    /** Every {@code *.idx} of a window is an index file: writers' index buckets and commits. */
    public static final String INDEX_SUFFIX = ".idx";

    private final List<Storage> volumes;

    public StoreLayout(List<Storage> volumes) {
        if (volumes.isEmpty()) {
            throw new IllegalArgumentException("a store needs at least one directory");
        }
        this.volumes = List.copyOf(volumes);
    }

    public List<Storage> volumes() {
        return volumes;
    }

    public Storage volume(int ordinal) {
        return volumes.get(ordinal);
    }

    /** Where the store is, for messages: its first volume's location. */
    public String location() {
        return volumes.get(0).location();
    }

    /** The locations of all volumes, in order. */
    public List<String> locations() {
        List<String> out = new ArrayList<>();
        for (Storage s : volumes) {
            out.add(s.location());
        }
        return out;
    }

    /** The volume of the data bucket of this sequence number. */
    public int volumeOf(long bucketSequence) {
        return (int) Math.floorMod(bucketSequence, (long) volumes.size());
    }

    /** The prefix of a stream's objects. */
    public static String streamPrefix(String stream) {
        return Names.checkStream(stream) + "/";
    }

    /** The configuration of a stream (on volume 0). */
    public static String streamConfig(String stream) {
        return streamPrefix(stream) + STREAM_CONFIG_FILE;
    }

    /**
     * Version {@code n} (from 1) of a stream's configuration: {@code stream.conf} is the first,
     * {@code stream.conf.2} the next, and so on ({@link StreamCatalog} says why).
     */
    public static String streamConfig(String stream, int version) {
        return version == 1 ? streamConfig(stream)
                : streamPrefix(stream) + STREAM_CONFIG_FILE + "." + version;
    }

    /** The prefix of an index window's objects (the same on every volume). */
    public static String windowPrefix(String stream, long indexWindowStart) {
        return streamPrefix(stream) + windowName(indexWindowStart) + "/";
    }

    /** A writer's index bucket of a window (on volume 0). */
    public static String indexFile(String stream, long indexWindowStart, String writerId) {
        return windowPrefix(stream, indexWindowStart) + indexFileName(writerId);
    }

    /** A writer's index bucket's name within its window's directory. */
    public static String indexFileName(String writerId) {
        return "index-" + writerId + INDEX_SUFFIX;
    }

    /** A data bucket's name (on volume {@link #volumeOf} its sequence). */
    public static String bucketFile(String stream, long indexWindowStart, BucketName name) {
        return windowPrefix(stream, indexWindowStart) + bucketFileName(name);
    }

    public static String bucketFileName(long bucketWindowStart, String writerId, long sequence) {
        return bucketFileName(new BucketName(bucketWindowStart, writerId, sequence));
    }

    public static String bucketFileName(BucketName name) {
        return windowName(name.windowStart()) + "-" + name.writerId() + "-" + name.sequence()
                + (name.late() ? "-late.bkt" : name.rollUpWidthNanos() > 0 ? "-rollup-"
                + name.rollUpWidthNanos() / 1_000_000_000L + ".bkt"
                : name.merged() ? "-merged.bkt" : ".bkt");
    }

    /** The last segment of a name. */
    public static String fileName(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    /** The segment before the last of a name (a bucket's window directory), or "". */
    public static String directoryName(String name) {
        int last = name.lastIndexOf('/');
        if (last < 0) {
            return "";
        }
        return name.substring(name.lastIndexOf('/', last - 1) + 1, last);
    }

    /**
     * The start of the window {@code widthNanos} wide that holds {@code nanos}. Windows of every
     * width (buckets, index windows, roll-up spans) are aligned to the epoch, so that a window is
     * named by its start alone and every writer and reader cuts time at the same places.
     */
    public static long windowStart(long nanos, long widthNanos) {
        return Math.floorDiv(nanos, widthNanos) * widthNanos;
    }

    /** The name of the window starting at {@code startNanos} ({@code rollup} for the roll-up area). */
    public static String windowName(long startNanos) {
        if (startNanos == ROLL_UP_AREA) {
            return ROLL_UP_DIRECTORY;
        }
        long seconds = Math.floorDiv(startNanos, 1_000_000_000L);
        long days = Math.floorDiv(seconds, 86_400L);
        if (days < FIRST_FOUR_DIGIT_DAY || days > LAST_FOUR_DIGIT_DAY) {
            return WINDOW_NAME.format(Instant.ofEpochSecond(seconds));
        }
        // Written out for years 0000-9999: every query names its windows' directories, and the
        // formatter took several per cent of a "latest N" query. The same digits as WINDOW_NAME.
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days);
        int second = (int) Math.floorMod(seconds, 86_400L);
        char[] c = new char[16];
        putDigits(c, 0, 4, date.getYear());
        putDigits(c, 4, 2, date.getMonthValue());
        putDigits(c, 6, 2, date.getDayOfMonth());
        c[8] = 'T';
        putDigits(c, 9, 2, second / 3600);
        putDigits(c, 11, 2, second / 60 % 60);
        putDigits(c, 13, 2, second % 60);
        c[15] = 'Z';
        return new String(c);
    }

    private static final long FIRST_FOUR_DIGIT_DAY = java.time.LocalDate.of(0, 1, 1).toEpochDay();
    private static final long LAST_FOUR_DIGIT_DAY = java.time.LocalDate.of(9999, 12, 31).toEpochDay();

    private static void putDigits(char[] out, int at, int n, int value) {
        int v = value;
        for (int i = at + n - 1; i >= at; i--) {
            out[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    /** The start of the window directory a listing entry ({@code "<name>/"}) is, or -1. */
    public static long parseWindowEntry(String entry) {
        return entry.endsWith("/") ? parseWindowName(entry.substring(0, entry.length() - 1)) : -1;
    }

    /** The start in nanoseconds of a window directory name, or -1 if it is not one. */
    public static long parseWindowName(String name) {
        if (name.length() != 16) {
            return -1;
        }
        long fast = parseValidWindowName(name);
        if (fast >= 0) {
            return fast;
        }
        try {
            return Instant.from(WINDOW_NAME.parse(name)).getEpochSecond() * 1_000_000_000L;
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    /**
     * The start of a well-formed window name (valid date and time fields), or -1 for anything
     * else, which the formatter then judges. A query without a start parses every window name
     * of its stream, and the formatter took a tenth of a "latest N" query.
     */
    private static long parseValidWindowName(String name) {
        if (name.charAt(8) != 'T' || name.charAt(15) != 'Z') {
            return -1;
        }
        for (int i = 0; i < 15; i++) {
            char c = name.charAt(i);
            if (i != 8 && (c < '0' || c > '9')) {
                return -1;
            }
        }
        int year = digits(name, 0, 4);
        int month = digits(name, 4, 2);
        int day = digits(name, 6, 2);
        int hour = digits(name, 9, 2);
        int minute = digits(name, 11, 2);
        int second = digits(name, 13, 2);
        if (month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour > 23 || minute > 59 || second > 59) {
            return -1;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return (((days * 24 + hour) * 60 + minute) * 60 + second) * 1_000_000_000L;
    }

    private static int digits(String s, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    /**
     * A data bucket's identity, as parsed from its file name.
     *
     * @param late whether it is a late bucket, covering its whole index window
     * @param merged whether it is a compactor's merge ({@code -merged.bkt}, or a roll-up): it may
     *        cover its whole index window, and it is read only once a "superseded" entry commits it
     * @param rollUpWidthNanos a roll-up's width ({@code -rollup-<seconds>.bkt}, in the roll-up area,
     *        always merged), or 0
     */
    public record BucketName(long windowStart, String writerId, long sequence, boolean late,
                             boolean merged, long rollUpWidthNanos) {
        /** A bucket that is not a roll-up. */
        public BucketName(long windowStart, String writerId, long sequence, boolean late,
                          boolean merged) {
            this(windowStart, writerId, sequence, late, merged, 0);
        }

        /** A compactor's roll-up of this width, in the roll-up area. */
        public static BucketName rollUp(long windowStart, String writerId, long sequence,
                                        long widthNanos) {
            return new BucketName(windowStart, writerId, sequence, false, true, widthNanos);
        }

        /** A bucket of one bucket width. */
        public BucketName(long windowStart, String writerId, long sequence) {
            this(windowStart, writerId, sequence, false, false);
        }

        /** A writer's bucket, late or not. */
        public BucketName(long windowStart, String writerId, long sequence, boolean late) {
            this(windowStart, writerId, sequence, late, false);
        }

        /** The first nanosecond after the bucket's window. */
        public long windowEnd(long bucketWidthNanos, long indexWindowNanos) {
            if (rollUpWidthNanos > 0) {
                return windowStart + rollUpWidthNanos;
            }
            return windowStart + (late || merged ? indexWindowNanos : bucketWidthNanos);
        }

        /** How index entries name it. */
        public IndexEntry.BucketRef ref() {
            return new IndexEntry.BucketRef(writerId, windowStart, sequence);
        }
    }

    /** Parses a data bucket file name, or returns {@code null} if it is not one. */
    public static BucketName parseBucketName(String fileName) {
        Matcher m = BUCKET_NAME.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        long start = parseWindowName(m.group(1));
        if (start < 0) {
            return null;
        }
        if (m.group(5) != null) {
            return BucketName.rollUp(start, m.group(2), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(5)) * 1_000_000_000L);
        }
        return new BucketName(start, m.group(2), Long.parseLong(m.group(3)),
                "-late".equals(m.group(4)), "-merged".equals(m.group(4)));
    }

    /** The writer id of an index file name, or {@code null} if it is not one. */
    public static String parseIndexName(String fileName) {
        Matcher m = INDEX_NAME.matcher(fileName);
        return m.matches() ? m.group(1) : null;
    }
}

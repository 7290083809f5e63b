package io.bucketlog.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.bucketlog.LogAttributes;
import io.bucketlog.LossReport;
import io.bucketlog.Store;
import io.bucketlog.WriteErrorListener;
import io.bucketlog.Writer;
import io.bucketlog.WriterStats;
import io.bucketlog.brigade.Brigade;
import io.bucketlog.config.AppenderSettings;
import io.bucketlog.config.KeyTemplate;

/**
 * A Logback appender that stores every log event in a Bucketlog stream.
 *
 * <pre>{@code
 * <appender name="BUCKETLOG" class="io.bucketlog.logback.BucketlogAppender">
 *   <directory>/var/log/myapp/bucketlog</directory>
 *   <stream>app</stream>
 *   <keyPattern>%X{userId}</keyPattern>
 * </appender>
 * }</pre>
 *
 * <p>The options are those of {@link AppenderSettings}, with the same names and meaning as in the
 * Log4j2 appender; a bad value is reported as a status error naming the option, and the appender
 * then stays stopped while the application runs on.
 *
 * <h2>Threads</h2>
 * {@link #append} runs on the logging thread and never waits on I/O (unless
 * {@code ringFullPolicy} is {@code block} or {@code drop-below}): the event is copied into a ring
 * slot on that thread and written by the writer's own thread. It is not synchronized (hence
 * {@link UnsynchronizedAppenderBase}): the ring is multi-producer. Every event lost (ring full,
 * too large, write error...) is counted by the writer, which reports through the status manager:
 * the first loss at once, then the exact losses since the previous report at most every 10
 * seconds, and every total when the appender stops (see {@link LossReport}). Those reports are
 * also printed on standard error when no status listener is configured, so that losses are never
 * silent. Nothing the appender reports goes through a logger, so it never logs into itself.
 *
 * <h2>Lifecycle</h2>
 * {@link #start} opens the store, creates the stream (or checks that its stored configuration
 * matches) and starts a writer; {@link #stop} drains the ring and seals the open buckets within
 * {@code shutdownTimeout}. A configuration reload stops this instance and starts a new one with a
 * new writer id. If nothing stops the appender (no {@code <shutdownHook/>}, no framework such as
 * Spring Boot that stops Logback), the writer's own JVM shutdown hook drains and seals, once no
 * event arrived for a second, and makes the final report. Any number of appenders, in this JVM
 * or others, may
 * write to the same directory at once: each writer has its own files.
 */
public class BucketlogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** Attribute-name prefix of SLF4J key-value pairs: {@code kv.orderId}. */
    public static final String KEY_VALUE_PREFIX = LogAttributes.KEY_VALUE_PREFIX;

    static final long ERROR_STATUS_INTERVAL_MILLIS = 1_000;

    private String directory;
    private String stream;
    private String keyPattern;
    private String bucketSize;
    private String bucketWidth;
    private String indexWindow;
    private String compression;
    private String durability;
    private String fsyncInterval;
    private String ringBufferSize;
    private String ringFullPolicy;
    private String dropBelowLevel;
    private String shutdownTimeout;
    private String retention;
    private String compaction;

    /**
     * What a started appender writes with; {@code null} when stopped.
     *
     * @param brigade the in-process brigade with {@code compaction="auto"}, or {@code null}
     */
    private record Running(Store store, Writer writer, String stream, KeyTemplate key,
                           Brigade brigade) {
    }

    private volatile Running running;
    /** The writer of the last start, kept after stop for its final counters. */
    private volatile Writer lastWriter;
    private final ThreadLocal<PendingEvent> pending = ThreadLocal.withInitial(PendingEvent::new);

    /** The options as configured (text, {@code null} for "default"). */
    public AppenderSettings settings() {
        return new AppenderSettings(directory, stream, keyPattern, bucketSize, bucketWidth,
                indexWindow, compression, durability, fsyncInterval, ringBufferSize, ringFullPolicy,
                dropBelowLevel, shutdownTimeout, retention, compaction);
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        AppenderSettings.Resolved settings;
        WriteErrorListener errors = WriteErrorListener.rateLimited(ERROR_STATUS_INTERVAL_MILLIS,
                (message, cause) -> addError("Bucketlog: " + message, cause));
        try {
            settings = settings().resolve(errors);
        } catch (IllegalArgumentException e) {
            addError("Bucketlog appender [" + name + "] not started: " + e.getMessage());
            return;
        }
        Store store = null;
        try {
            store = Store.open(settings.locations().toArray(String[]::new));
            for (String warning : settings.openStream(store)) {
                addWarn("Bucketlog appender [" + name + "]: " + warning);
            }
            Writer writer = store.writer(settings.writerOptions().lossListener(this::report)
                    .build());
            running = new Running(store, writer, settings.stream(), settings.key(),
                    settings.startCompaction(store, errors).orElse(null));
            lastWriter = writer;
            addInfo("Bucketlog appender [" + name + "] writes stream '" + settings.stream()
                    + "' in " + settings.locations() + " as writer " + writer.writerId());
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            addError("Bucketlog appender [" + name + "] not started: cannot open stream '"
                    + settings.stream() + "' in " + settings.locations() + ": " + e.getMessage(), e);
            return;
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        Running r = running;
        if (r == null) {
            return;
        }
        // Format before claiming a slot: a slow toString() must not hold a claimed slot, which
        // would stall the writer thread behind it. Logback caches the result in the event.
        event.getFormattedMessage();
        PendingEvent p = pending.get().set(event, r.key);
        try {
            int priority = LogAttributes.priorityOf(event.getLevel().levelStr);
            r.writer.append(r.stream, priority, PendingEvent.FILLER, p); // a drop is counted there
        } finally {
            p.clear();
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        Running r = running;
        running = null;
        if (r == null) {
            return;
        }
        if (r.brigade != null) {
            r.brigade.close();
        }
        r.writer.close(); // makes the final report
        r.store.close();
    }

    /**
     * A loss report from the writer: a warning, or information for a final report without
     * losses. Logback keeps status messages without printing them unless a status listener is
     * configured, so a loss is also printed on standard error when there is none.
     */
    private void report(LossReport report) {
        String message = "Bucketlog appender [" + name + "]: " + report;
        if (report.total().lost() == 0) {
            addInfo(message);
            return;
        }
        addWarn(message);
        if (getContext() != null && getStatusManager().getCopyOfStatusListenerList().isEmpty()) {
            System.err.println(message);
        }
    }

    /**
     * The counters of the current writer (new at every start): events appended, dropped, written,
     * and so on. After {@link #stop} they are the stopped writer's final counts;
     * {@link WriterStats#EMPTY} before the first start. Never {@code null}.
     */
    public WriterStats stats() {
        Writer w = lastWriter;
        return w == null ? WriterStats.EMPTY : w.stats();
    }

    /**
     * The id of the current writer (new at every start), the stopped one's after {@link #stop},
     * or {@code null} before the first start.
     */
    public String writerId() {
        Writer w = lastWriter;
        return w == null ? null : w.writerId();
    }

    // Joran setters: the names of AppenderSettings' components.

    public String getDirectory() {
        return directory;
    }

    /** One or more store directories, separated by commas (required). */
    public void setDirectory(String directory) {
        this.directory = directory;
    }

    public String getStream() {
        return stream;
    }

    /** The stream name (default {@value AppenderSettings#DEFAULT_STREAM}). */
    public void setStream(String stream) {
        this.stream = stream;
    }

    public String getKeyPattern() {
        return keyPattern;
    }

    /** The key of each event, e.g. {@code %X{userId}} (default {@code %logger}). */
    public void setKeyPattern(String keyPattern) {
        this.keyPattern = keyPattern;
    }

    public String getBucketSize() {
        return bucketSize;
    }

    /** Bucket byte target, e.g. {@code 64MB}. */
    public void setBucketSize(String bucketSize) {
        this.bucketSize = bucketSize;
    }

    public String getBucketWidth() {
        return bucketWidth;
    }

    /** Maximum bucket time width, e.g. {@code 1h}. */
    public void setBucketWidth(String bucketWidth) {
        this.bucketWidth = bucketWidth;
    }

    public String getIndexWindow() {
        return indexWindow;
    }

    /** Index window, e.g. {@code 1d}. */
    public void setIndexWindow(String indexWindow) {
        this.indexWindow = indexWindow;
    }

    public String getCompression() {
        return compression;
    }

    /**
     * {@code zstd} (default: logs take 0.5-0.65x of LZ4's bytes), {@code lz4} or {@code none}.
     * On a host where zstd-jni's native library does not load, zstd buckets are written as LZ4.
     */
    public void setCompression(String compression) {
        this.compression = compression;
    }

    public String getDurability() {
        return durability;
    }

    /** {@code os} (default), {@code interval} or {@code sync}. */
    public void setDurability(String durability) {
        this.durability = durability;
    }

    public String getFsyncInterval() {
        return fsyncInterval;
    }

    /** The fsync interval under {@code interval} durability, e.g. {@code 1s}. */
    public void setFsyncInterval(String fsyncInterval) {
        this.fsyncInterval = fsyncInterval;
    }

    public String getRingBufferSize() {
        return ringBufferSize;
    }

    /** Ring slots, a power of two (default 16384). */
    public void setRingBufferSize(String ringBufferSize) {
        this.ringBufferSize = ringBufferSize;
    }

    public String getRingFullPolicy() {
        return ringFullPolicy;
    }

    /** {@code drop} (default), {@code block} or {@code drop-below}. */
    public void setRingFullPolicy(String ringFullPolicy) {
        this.ringFullPolicy = ringFullPolicy;
    }

    public String getDropBelowLevel() {
        return dropBelowLevel;
    }

    /** With {@code drop-below}: the least level that waits rather than drops (default WARN). */
    public void setDropBelowLevel(String dropBelowLevel) {
        this.dropBelowLevel = dropBelowLevel;
    }

    public String getShutdownTimeout() {
        return shutdownTimeout;
    }

    /** How long stopping waits for the ring to drain (default 30s). */
    public void setShutdownTimeout(String shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public String getRetention() {
        return retention;
    }

    /** How long whole windows of the stream are kept, e.g. {@code 30d} (default: unlimited). */
    public void setRetention(String retention) {
        this.retention = retention;
    }

    public String getCompaction() {
        return compaction;
    }

    /** {@code auto} to run the brigade in the background of this application (default off). */
    public void setCompaction(String compaction) {
        this.compaction = compaction;
    }
}

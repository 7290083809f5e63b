package io.bucketlog.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.bucketlog.LogAttributes;
import io.bucketlog.Store;
import io.bucketlog.WriteErrorListener;
import io.bucketlog.Writer;
import io.bucketlog.WriterStats;
import io.bucketlog.config.AppenderSettings;
import io.bucketlog.config.DropReporter;
import io.bucketlog.config.KeyTemplate;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
 * {@link UnsynchronizedAppenderBase}): the ring is multi-producer. When the ring is full under
 * {@code drop}, the event is counted and a warning goes to the status manager at most every
 * {@value #DROP_WARNING_INTERVAL_MILLIS} ms. Nothing the appender reports goes through a logger,
 * so it never logs into itself.
 *
 * <h2>Lifecycle</h2>
 * {@link #start} opens the store, creates the stream (or checks that its stored configuration
 * matches) and starts a writer; {@link #stop} drains the ring and seals the open buckets within
 * {@code shutdownTimeout}. A configuration reload stops this instance and starts a new one with a
 * new writer id. The writer also drains and seals on JVM shutdown by itself, whether or not the
 * configuration has a {@code <shutdownHook/>}. Any number of appenders, in this JVM or others, may
 * write to the same directory at once: each writer has its own files.
 */
public class BucketlogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** Attribute-name prefix of SLF4J key-value pairs: {@code kv.orderId}. */
    public static final String KEY_VALUE_PREFIX = LogAttributes.KEY_VALUE_PREFIX;

    static final long DROP_WARNING_INTERVAL_MILLIS = DropReporter.DEFAULT_INTERVAL_MILLIS;
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

    /** What a started appender writes with; {@code null} when stopped. */
    private record Running(Store store, Writer writer, String stream, KeyTemplate key,
                           DropReporter drops, LongSupplier dropCount) {
    }

    private volatile Running running;
    private final ThreadLocal<PendingEvent> pending = ThreadLocal.withInitial(PendingEvent::new);
    private final Consumer<String> warn = this::addWarn;

    /** The options as configured (text, {@code null} for "default"). */
    public AppenderSettings settings() {
        return new AppenderSettings(directory, stream, keyPattern, bucketSize, bucketWidth,
                indexWindow, compression, durability, fsyncInterval, ringBufferSize, ringFullPolicy,
                dropBelowLevel, shutdownTimeout);
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        AppenderSettings.Resolved settings;
        try {
            settings = settings().resolve(WriteErrorListener.rateLimited(ERROR_STATUS_INTERVAL_MILLIS,
                    (message, cause) -> addError("Bucketlog: " + message, cause)));
        } catch (IllegalArgumentException e) {
            addError("Bucketlog appender [" + name + "] not started: " + e.getMessage());
            return;
        }
        Store store = null;
        try {
            store = Store.open(settings.directories());
            for (String warning : settings.openStream(store)) {
                addWarn("Bucketlog appender [" + name + "]: " + warning);
            }
            // Logback installs no shutdown hook unless the configuration asks for one; the writer's
            // own hook drains and seals either way (a second close is a no-op).
            Writer writer = store.writer(settings.writerOptions().closeOnJvmShutdown(true).build());
            running = new Running(store, writer, settings.stream(), settings.key(),
                    new DropReporter(DROP_WARNING_INTERVAL_MILLIS), () -> writer.stats().dropped());
            addInfo("Bucketlog appender [" + name + "] writes stream '" + settings.stream()
                    + "' in " + settings.directories() + " as writer " + writer.writerId());
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            addError("Bucketlog appender [" + name + "] not started: cannot open stream '"
                    + settings.stream() + "' in " + settings.directories() + ": " + e.getMessage(), e);
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
            if (!r.writer.append(r.stream, priority, PendingEvent.FILLER, p)) {
                r.drops.dropped(r.dropCount, warn);
            }
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
        r.writer.close();
        r.store.close();
        WriterStats s = r.writer.stats();
        String summary = "Bucketlog appender [" + name + "] stopped writer " + r.writer.writerId()
                + ": " + s.written() + " events written, " + s.dropped() + " dropped, "
                + s.rejected() + " rejected, " + s.failed() + " failed, " + s.bucketsSealed()
                + " buckets sealed";
        if (s.dropped() + s.rejected() + s.failed() > 0) {
            addWarn(summary);
        } else {
            addInfo(summary);
        }
    }

    /** The running writer's counters, or {@code null} when stopped. */
    public WriterStats stats() {
        Running r = running;
        return r == null ? null : r.writer.stats();
    }

    /** The running writer's id, or {@code null} when stopped. */
    public String writerId() {
        Running r = running;
        return r == null ? null : r.writer.writerId();
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

    /** {@code lz4} (default) or {@code none}. */
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
}

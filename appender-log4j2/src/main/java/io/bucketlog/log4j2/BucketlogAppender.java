package io.bucketlog.log4j2;

import io.bucketlog.LogAttributes;
import io.bucketlog.LossListener;
import io.bucketlog.LossReport;
import io.bucketlog.Store;
import io.bucketlog.WriteErrorListener;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.WriterStats;
import io.bucketlog.brigade.Brigade;
import io.bucketlog.config.AppenderSettings;
import io.bucketlog.config.KeyTemplate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.appender.AppenderLoggingException;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;

/**
 * The {@code <Bucketlog>} appender: stores every log event in a Bucketlog stream.
 *
 * <pre>{@code
 * <Bucketlog name="events" directory="/var/log/myapp/bucketlog" stream="app"
 *            keyPattern="%X{userId}" bucketSize="64MB" ringFullPolicy="drop"/>
 * }</pre>
 *
 * <p>The options are those of {@link AppenderSettings}, under the same names as in the Logback
 * appender; a bad value is reported on Log4j2's status logger naming the option, and the
 * appender is then left out of the configuration while the application runs on.
 *
 * <h2>Threads</h2>
 * {@link #append} formats the message on the calling thread, before it claims a ring slot, then
 * fills the slot and returns without waiting on I/O (unless the ring is full and the policy makes
 * the event wait).
 * Every event lost is counted by the writer, which reports on the status logger: the first loss at
 * once, then the exact losses since the previous report at most every 10 seconds, and every total
 * when the appender stops (see {@link LossReport}). One bucket-writer thread per started
 * appender writes the events. Each start opens a new
 * {@link Writer} with its own id, so appenders on one directory, in one JVM or many processes,
 * never coordinate; a reconfiguration stops the old appender (draining its ring, sealing its
 * buckets) and starts the new one. Log4j2's shutdown hook (or Spring Boot's, which replaces it)
 * stops the appender on JVM exit; if none does, the writer's own hook drains, seals and reports.
 * Stopping also closes the store the appender opened, so a stopped appender cannot be started
 * again (Log4j2 builds a new one at every reconfiguration).
 */
@Plugin(name = BucketlogAppender.PLUGIN_NAME, category = Core.CATEGORY_NAME,
        elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class BucketlogAppender extends AbstractAppender {
    /** The element name in a configuration. */
    public static final String PLUGIN_NAME = "Bucketlog";
    static final long ERROR_REPORT_INTERVAL_MILLIS = 1_000;

    /**
     * The writer's problems (full disk, rejected events...) go to Log4j2's {@code StatusLogger},
     * never to a logger: a logger could route the report back into the failing appender.
     */
    static WriteErrorListener statusErrors(String appenderName) {
        return WriteErrorListener.rateLimited(ERROR_REPORT_INTERVAL_MILLIS, (message, cause) -> {
            // A null cause passed as a third argument would make Log4j2 warn about the count of
            // placeholders before every report.
            if (cause == null) {
                LOGGER.error("Bucketlog appender '{}': {}", appenderName, message);
            } else {
                LOGGER.error("Bucketlog appender '{}': {}", appenderName, message, cause);
            }
        });
    }

    /** Loss reports go to the status logger: a warning, or information for a clean final one. */
    static LossListener statusLosses(String appenderName) {
        return report -> {
            if (report.total().lost() == 0) {
                LOGGER.info("Bucketlog appender '{}': {}", appenderName, report);
            } else {
                LOGGER.warn("Bucketlog appender '{}': {}", appenderName, report);
            }
        };
    }

    private final Store store;
    private final String stream;
    private final KeyTemplate key;
    private final WriterOptions writerOptions;
    private final AppenderSettings.Resolved settings;
    private volatile Writer writer;
    /** The in-process brigade with {@code compaction="auto"} while started, else {@code null}. */
    private volatile Brigade brigade;

    private BucketlogAppender(String name, Filter filter, boolean ignoreExceptions,
                              Property[] properties, Store store, AppenderSettings.Resolved settings,
                              WriterOptions writerOptions) {
        super(name, filter, null, ignoreExceptions, properties);
        this.store = store;
        this.stream = settings.stream();
        this.key = settings.key();
        this.writerOptions = writerOptions;
        this.settings = settings;
    }

    /** The builder Log4j2 fills from the configuration. */
    @PluginBuilderFactory
    public static <B extends Builder<B>> B newBuilder() {
        return new Builder<B>().asBuilder();
    }

    @Override
    public void start() {
        writer = store.writer(writerOptions);
        brigade = settings.startCompaction(store, statusErrors(getName())).orElse(null);
        super.start();
    }

    @Override
    public boolean stop(long timeout, TimeUnit timeUnit) {
        setStopping();
        boolean stopped = super.stop(timeout, timeUnit, false);
        Brigade b = brigade;
        if (b != null) {
            b.close();
        }
        Writer w = writer;
        if (w != null) {
            // Drains the ring and seals the buckets within the caller's timeout, if it gives one,
            // and never longer than the shutdownTimeout option.
            if (timeout > 0) {
                w.close(Duration.ofNanos(timeUnit.toNanos(timeout)));
            } else {
                w.close();
            }
        }
        store.close();
        setStopped();
        return stopped;
    }

    @Override
    public void append(LogEvent event) {
        Writer w = writer;
        LogEventFiller.Source source = LogEventFiller.source(key, event);
        try {
            int priority = LogAttributes.priorityOf(event.getLevel().name());
            w.append(stream, priority, LogEventFiller.FILLER, source); // a drop is counted there
        } catch (RuntimeException e) {
            error("Bucketlog appender '" + getName() + "' could not store an event: " + e, event, e);
            if (!ignoreExceptions()) {
                throw e instanceof AppenderLoggingException ale ? ale : new AppenderLoggingException(e);
            }
        } finally {
            source.clear();
        }
    }

    /**
     * The counters of the current writer (new at every start): events appended, dropped, written,
     * and so on. After {@link #stop} they are the stopped writer's final counts;
     * {@link WriterStats#EMPTY} before the first start. Never {@code null}.
     */
    public WriterStats stats() {
        Writer w = writer;
        return w == null ? WriterStats.EMPTY : w.stats();
    }

    /**
     * The id of the current writer (new at every start), the stopped one's after {@link #stop},
     * or {@code null} before the first start.
     */
    public String writerId() {
        Writer w = writer;
        return w == null ? null : w.writerId();
    }

    /** The stream this appender writes to. */
    public String stream() {
        return stream;
    }

    @Override
    public String toString() {
        return "BucketlogAppender[name=" + getName() + ", directories=" + store.locations()
                + ", stream=" + stream + ", keyPattern=" + key + ", state=" + getState() + "]";
    }

    /**
     * Builds the appender from the configuration. Attribute names are the record components of
     * {@link AppenderSettings}; sizes and durations are text such as {@code 64MB} or {@code 30s}.
     *
     * @param <B> the builder type, for subclass-friendly chaining as in Log4j2's own appenders
     */
    public static class Builder<B extends Builder<B>> extends AbstractAppender.Builder<B>
            implements org.apache.logging.log4j.core.util.Builder<BucketlogAppender> {

        @PluginBuilderAttribute
        private String directory;
        @PluginBuilderAttribute
        private String stream;
        @PluginBuilderAttribute
        private String keyPattern;
        @PluginBuilderAttribute
        private String bucketSize;
        @PluginBuilderAttribute
        private String bucketWidth;
        @PluginBuilderAttribute
        private String indexWindow;
        @PluginBuilderAttribute
        private String compression;
        @PluginBuilderAttribute
        private String durability;
        @PluginBuilderAttribute
        private String fsyncInterval;
        @PluginBuilderAttribute
        private String ringBufferSize;
        @PluginBuilderAttribute
        private String ringFullPolicy;
        @PluginBuilderAttribute
        private String dropBelowLevel;
        @PluginBuilderAttribute
        private String shutdownTimeout;
        @PluginBuilderAttribute
        private String retention;
        @PluginBuilderAttribute
        private String compaction;

        /** One or more store directories, separated by commas. Required. */
        public B setDirectory(String directory) {
            this.directory = directory;
            return asBuilder();
        }

        /** The stream name (default {@value AppenderSettings#DEFAULT_STREAM}). */
        public B setStream(String stream) {
            this.stream = stream;
            return asBuilder();
        }

        /** The key of each event, e.g. {@code %X{userId}} (default {@code %logger}). */
        public B setKeyPattern(String keyPattern) {
            this.keyPattern = keyPattern;
            return asBuilder();
        }

        /** Bucket byte target, e.g. {@code 64MB}. */
        public B setBucketSize(String bucketSize) {
            this.bucketSize = bucketSize;
            return asBuilder();
        }

        /** Maximum bucket time width, e.g. {@code 1h}. */
        public B setBucketWidth(String bucketWidth) {
            this.bucketWidth = bucketWidth;
            return asBuilder();
        }

        /** Index window, e.g. {@code 1d}. */
        public B setIndexWindow(String indexWindow) {
            this.indexWindow = indexWindow;
            return asBuilder();
        }

        /**
         * {@code zstd} (default: logs take 0.5-0.65x of LZ4's bytes), {@code lz4} or
         * {@code none}. On a host where zstd-jni's native library does not load, zstd buckets are
         * written as LZ4.
         */
        public B setCompression(String compression) {
            this.compression = compression;
            return asBuilder();
        }

        /** {@code os}, {@code interval} or {@code sync}. */
        public B setDurability(String durability) {
            this.durability = durability;
            return asBuilder();
        }

        /** The fsync interval of {@code durability=interval}, e.g. {@code 1s}. */
        public B setFsyncInterval(String fsyncInterval) {
            this.fsyncInterval = fsyncInterval;
            return asBuilder();
        }

        /** Ring slots, a power of two. */
        public B setRingBufferSize(String ringBufferSize) {
            this.ringBufferSize = ringBufferSize;
            return asBuilder();
        }

        /** {@code drop}, {@code block} or {@code drop-below}. */
        public B setRingFullPolicy(String ringFullPolicy) {
            this.ringFullPolicy = ringFullPolicy;
            return asBuilder();
        }

        /** With {@code drop-below}: the least level kept when the ring is full. */
        public B setDropBelowLevel(String dropBelowLevel) {
            this.dropBelowLevel = dropBelowLevel;
            return asBuilder();
        }

        /** How long stopping waits for the ring to drain, e.g. {@code 30s}. */
        public B setShutdownTimeout(String shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return asBuilder();
        }

        /** How long whole windows of the stream are kept, e.g. {@code 30d} (default: unlimited). */
        public B setRetention(String retention) {
            this.retention = retention;
            return asBuilder();
        }

        /** {@code auto} to run the brigade in the background of this application (default off). */
        public B setCompaction(String compaction) {
            this.compaction = compaction;
            return asBuilder();
        }

        /** The settings as given, unchecked. */
        public AppenderSettings settings() {
            return new AppenderSettings(directory, stream, keyPattern, bucketSize, bucketWidth,
                    indexWindow, compression, durability, fsyncInterval, ringBufferSize,
                    ringFullPolicy, dropBelowLevel, shutdownTimeout, retention, compaction);
        }

        /**
         * Checks the options and opens the store and stream.
         *
         * @return the appender, or {@code null} after reporting a bad option or an unusable store
         *     on the status logger (Log4j2 then leaves the appender out and carries on)
         */
        @Override
        public BucketlogAppender build() {
            String name = getName();
            if (name == null || name.isBlank()) {
                LOGGER.error("Bucketlog appender not created: option 'name' is required");
                return null;
            }
            AppenderSettings.Resolved resolved;
            WriterOptions options;
            try {
                resolved = settings().resolve(statusErrors(name));
                options = resolved.writerOptions().lossListener(statusLosses(name)).build();
            } catch (IllegalArgumentException e) {
                LOGGER.error("Bucketlog appender '{}' not created: {}", name, e.getMessage());
                return null;
            }
            Store store;
            try {
                store = Store.open(resolved.locations().toArray(String[]::new));
                for (String warning : resolved.openStream(store)) {
                    LOGGER.warn("Bucketlog appender '{}': {}", name, warning);
                }
            } catch (RuntimeException e) {
                LOGGER.error("Bucketlog appender '{}' not created: cannot use the store in {} (option"
                        + " 'directory'): {}", name, resolved.locations(), e.getMessage());
                return null;
            }
            return new BucketlogAppender(name, getFilter(), isIgnoreExceptions(), getPropertyArray(),
                    store, resolved, options);
        }
    }
}

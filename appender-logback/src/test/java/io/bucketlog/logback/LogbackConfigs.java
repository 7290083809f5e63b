package io.bucketlog.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import io.bucketlog.Event;
import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.index.IndexFileReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/** Loads the test configuration files through Joran and reads back what the appender stored. */
final class LogbackConfigs {
    private LogbackConfigs() {
    }

    /** The context SLF4J's {@code LoggerFactory} hands out loggers from. */
    static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    /**
     * Resets the context (stopping its appenders) and configures it from a classpath resource, as
     * a configuration reload does. {@code properties} fill the file's {@code ${...}} variables.
     */
    static LoggerContext configure(String resource, Map<String, String> properties) {
        LoggerContext ctx = context();
        ctx.reset();
        ctx.getStatusManager().clear();
        properties.forEach(ctx::putProperty);
        URL url = LogbackConfigs.class.getResource("/" + resource);
        assertThat(url).as("test resource %s", resource).isNotNull();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(ctx);
        try {
            joran.doConfigure(url);
        } catch (JoranException e) {
            throw new AssertionError("cannot configure from " + resource, e);
        }
        return ctx;
    }

    static BucketlogAppender appender(LoggerContext ctx, String loggerName, String name) {
        Appender<?> a = ctx.getLogger(loggerName).getAppender(name);
        assertThat(a).as("appender %s on logger %s", name, loggerName).isInstanceOf(BucketlogAppender.class);
        return (BucketlogAppender) a;
    }

    static BucketlogAppender rootAppender(LoggerContext ctx) {
        return appender(ctx, Logger.ROOT_LOGGER_NAME, "BUCKETLOG");
    }

    static List<Status> statuses(LoggerContext ctx, int level) {
        List<Status> out = new ArrayList<>();
        for (Status s : ctx.getStatusManager().getCopyOfStatusList()) {
            if (s.getLevel() == level) {
                out.add(s);
            }
        }
        return out;
    }

    /** Every event of a stream, oldest first; fails on any corruption report. */
    static List<Event> readAll(Path dir, String stream) {
        List<Event> out = new ArrayList<>();
        try (Store store = Store.openExisting(List.of(dir));
             EventScan scan = store.scan(ScanRequest.all(stream))) {
            scan.forEachRemaining(out::add);
            assertThat(scan.corruptions()).isEmpty();
        }
        return out;
    }

    /** Per writer id: {opened, sealed} data-bucket entries in its index buckets. */
    static Map<String, long[]> bucketEntries(Path dir, String stream) {
        Map<String, long[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir.resolve(stream))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.startsWith("index-") || !name.endsWith(".idx")) {
                    continue;
                }
                String writer = name.substring("index-".length(), name.length() - ".idx".length());
                List<IndexEntry> entries = new ArrayList<>();
                io.bucketlog.backend.file.FileStorage storage = new io.bucketlog.backend.file.FileStorage(dir);
                IndexFileReader.read(new io.bucketlog.internal.store.StoreObject(storage,
                        storage.nameOf(f)), 0, entries, r -> {
                    throw new AssertionError("corrupt index: " + r);
                });
                long[] counts = out.computeIfAbsent(writer, w -> new long[2]);
                for (IndexEntry e : entries) {
                    if (e instanceof IndexEntry.Opened) {
                        counts[0]++;
                    } else if (e instanceof IndexEntry.Sealed) {
                        counts[1]++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Asserts that {@code writerId} opened at least one bucket and sealed every one it opened. */
    static void assertAllSealed(Path dir, String stream, String writerId) {
        long[] counts = bucketEntries(dir, stream).get(writerId);
        assertThat(counts).as("index entries of writer %s", writerId).isNotNull();
        assertThat(counts[0]).as("buckets opened by %s", writerId).isPositive();
        assertThat(counts[1]).as("buckets sealed by %s", writerId).isEqualTo(counts[0]);
    }
}

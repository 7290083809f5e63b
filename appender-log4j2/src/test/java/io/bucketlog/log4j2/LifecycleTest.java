package io.bucketlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.LogAttributes;
import io.bucketlog.WriterStats;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, stop, reconfiguration, JVM shutdown, and several writers on one directory. */
class LifecycleTest {
    @TempDir
    Path dir;
    @TempDir
    Path logs;

    @BeforeEach
    void setDir() {
        System.setProperty("bucketlog.dir", dir.toString());
    }

    @AfterEach
    void clear() {
        ThreadContext.clearAll();
    }

    @Test
    void reconfigurationStopsTheOldAppenderSealedAndStartsANewWriter() {
        LoggerContext ctx = Stored.start("example", "log4j2-example.xml");
        BucketlogAppender first;
        BucketlogAppender second;
        try {
            first = ctx.getConfiguration().getAppender("bucketlog");
            assertThat(first.isStarted()).isTrue();
            Logger log = ctx.getLogger("com.example.Checkout");
            ThreadContext.put("userId", "u-1");
            for (int i = 0; i < 100; i++) {
                log.debug("before reload {}", i);
            }
            ctx.reconfigure();
            second = ctx.getConfiguration().getAppender("bucketlog");
            assertThat(second).isNotSameAs(first);
            assertThat(first.isStopped()).isTrue();
            WriterStats old = first.stats();
            assertThat(old.written()).isEqualTo(100);
            assertThat(old.bucketsSealed()).isEqualTo(old.bucketsOpened()).isPositive();
            assertThat(second.isStarted()).isTrue();
            assertThat(second.writerId()).isNotEqualTo(first.writerId());
            ThreadContext.put("userId", "u-2");
            for (int i = 0; i < 100; i++) {
                log.debug("after reload {}", i);
            }
            // Below the configured level: not stored.
            ctx.getLogger("org.other").debug("filtered out");
        } finally {
            ctx.stop();
        }
        assertThat(second.isStopped()).isTrue();
        assertThat(second.stats().written()).isEqualTo(100);

        List<Event> stored = Stored.events(dir, "app");
        assertThat(stored).hasSize(200);
        Map<String, Long> perWriter = stored.stream()
                .collect(Collectors.groupingBy(e -> e.id().writerId(), Collectors.counting()));
        assertThat(perWriter).containsEntry(first.writerId(), 100L).containsEntry(second.writerId(), 100L);
        assertThat(stored.stream().filter(e -> e.key().equals("u-1")).count()).isEqualTo(100);
        assertThat(stored.stream().filter(e -> e.key().equals("u-2")).count()).isEqualTo(100);
        assertThat(Stored.bucketsSealed(dir)).isNotEmpty().containsOnly(true);
    }

    @Test
    void twoAppendersOnOneDirectoryInOneJvmWriteWithoutCoordination() {
        LoggerContext ctx = Stored.start("two", "two-appenders.xml");
        BucketlogAppender first = ctx.getConfiguration().getAppender("first");
        BucketlogAppender second = ctx.getConfiguration().getAppender("second");
        try {
            Logger log = ctx.getLogger("two");
            for (int i = 0; i < 500; i++) {
                log.info("event {}", i);
            }
        } finally {
            ctx.stop();
        }
        List<Event> stored = Stored.events(dir, "shared");
        assertThat(stored).hasSize(1000);
        Map<String, Long> perWriter = stored.stream()
                .collect(Collectors.groupingBy(e -> e.id().writerId(), Collectors.counting()));
        assertThat(perWriter).containsOnly(Map.entry(first.writerId(), 500L),
                Map.entry(second.writerId(), 500L));
    }

    @Test
    void jvmShutdownDrainsAndSealsWhileAnotherProcessWritesTheSameDirectory() throws Exception {
        int childEvents = 50_000;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ChildProcessLogger.class.getName(), dir.toString(), Integer.toString(childEvents));
        pb.redirectErrorStream(true);
        File output = logs.resolve("child.log").toFile();
        pb.redirectOutput(output);
        Process child = pb.start();

        LoggerContext ctx = Stored.start("parent", "child.xml");
        int parentEvents = 0;
        try {
            Logger log = ctx.getLogger("parent");
            while (child.isAlive() && parentEvents < 1_000_000) {
                log.info("parent event {}", parentEvents++);
            }
        } finally {
            ctx.stop();
        }
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String childLog = Files.readString(output.toPath(), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(childLog).isZero();
        assertThat(childLog).contains("logged " + childEvents);

        List<Event> stored = Stored.events(dir, "shared");
        Map<String, Long> perLogger = stored.stream()
                .collect(Collectors.groupingBy(e -> e.attribute(LogAttributes.LOGGER), Collectors.counting()));
        assertThat(perLogger).containsOnly(Map.entry("child", (long) childEvents),
                Map.entry("parent", (long) parentEvents));
        assertThat(stored.stream().map(e -> e.id().writerId()).distinct().count()).isEqualTo(2);
        // The child's buckets were sealed by its shutdown hook, not left open.
        assertThat(Stored.bucketsSealed(dir)).isNotEmpty().containsOnly(true);
    }
}

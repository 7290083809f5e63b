package io.bucketlog.logback;

import static io.bucketlog.logback.LogbackConfigs.appender;
import static io.bucketlog.logback.LogbackConfigs.assertAllSealed;
import static io.bucketlog.logback.LogbackConfigs.bucketEntries;
import static io.bucketlog.logback.LogbackConfigs.configure;
import static io.bucketlog.logback.LogbackConfigs.readAll;
import static io.bucketlog.logback.LogbackConfigs.rootAppender;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.bucketlog.Event;
import io.bucketlog.WriterStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LifecycleTest {
    @TempDir
    Path dir;
    /** The children's standard error, outside the store they write. */
    @TempDir
    Path logs;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        LogbackConfigs.context().reset();
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void reloadStopsTheOldWriterSealedAndStartsANewOne() {
        Map<String, String> p = Map.of("directory", dir.toString());
        LoggerContext ctx = configure("options.xml", p);
        BucketlogAppender first = rootAppender(ctx);
        String firstId = first.writerId();
        Logger log = LoggerFactory.getLogger("app");
        for (int i = 0; i < 10; i++) {
            log.info("before reload {}", i);
        }

        ctx = configure("options.xml", p); // reset() + JoranConfigurator, as a reload does
        assertThat(first.isStarted()).isFalse();
        assertAllSealed(dir, "logs", firstId);
        BucketlogAppender second = rootAppender(ctx);
        assertThat(second).isNotSameAs(first);
        assertThat(second.isStarted()).isTrue();
        String secondId = second.writerId();
        assertThat(secondId).isNotEqualTo(firstId);
        for (int i = 0; i < 10; i++) {
            log.info("after reload {}", i);
        }
        ctx.reset();
        assertAllSealed(dir, "logs", secondId);

        Map<String, List<String>> byWriter = bodiesByWriter(readAll(dir, "logs"));
        assertThat(byWriter.get(firstId)).containsExactlyElementsOf(numbered("before reload ", 10));
        assertThat(byWriter.get(secondId)).containsExactlyElementsOf(numbered("after reload ", 10));
    }

    @Test
    void stoppedAppenderDropsQuietlyAndCanStartAgain() {
        LoggerContext ctx = configure("options.xml", Map.of("directory", dir.toString()));
        BucketlogAppender appender = rootAppender(ctx);
        Logger log = LoggerFactory.getLogger("app");
        log.info("one");
        appender.stop();
        log.info("while stopped");
        appender.start();
        assertThat(appender.isStarted()).isTrue();
        log.info("two");
        ctx.reset();
        assertThat(readAll(dir, "logs")).extracting(Event::bodyText).containsExactly("one", "two");
    }

    @Test
    void statsAreEmptyBeforeTheFirstStartAndTheStoppedWritersFinalCountsAfterStop() {
        assertThat(new BucketlogAppender().stats()).isEqualTo(WriterStats.EMPTY);
        assertThat(new BucketlogAppender().writerId()).isNull();
        LoggerContext ctx = configure("options.xml", Map.of("directory", dir.toString()));
        BucketlogAppender appender = rootAppender(ctx);
        String id = appender.writerId();
        Logger log = LoggerFactory.getLogger("app");
        for (int i = 0; i < 3; i++) {
            log.info("event {}", i);
        }
        appender.stop();
        WriterStats last = appender.stats();
        assertThat(last.appended()).isEqualTo(3);
        assertThat(last.written()).isEqualTo(3);
        assertThat(last.lost()).isZero();
        assertThat(last.bucketsSealed()).isEqualTo(last.bucketsOpened()).isPositive();
        assertThat(appender.writerId()).isEqualTo(id);
        appender.start();
        assertThat(appender.writerId()).isNotEqualTo(id);
        assertThat(appender.stats().appended()).isZero();
    }

    @Test
    void twoAppendersInOneJvmShareADirectoryWithoutCoordination() throws Exception {
        LoggerContext ctx = configure("two-appenders.xml", Map.of("dir", dir.toString()));
        String orders = appender(ctx, "orders", "ORDERS").writerId();
        String payments = appender(ctx, "payments", "PAYMENTS").writerId();
        assertThat(orders).isNotEqualTo(payments);
        Thread a = new Thread(() -> logNumbered(LoggerFactory.getLogger("orders"), "order ", 2000));
        Thread b = new Thread(() -> logNumbered(LoggerFactory.getLogger("payments"), "payment ", 2000));
        a.start();
        b.start();
        a.join();
        b.join();
        ctx.reset();

        Map<String, List<String>> byWriter = bodiesByWriter(readAll(dir, "shared"));
        assertThat(byWriter).containsOnlyKeys(orders, payments);
        assertThat(byWriter.get(orders)).containsExactlyElementsOf(numbered("order ", 2000));
        assertThat(byWriter.get(payments)).containsExactlyElementsOf(numbered("payment ", 2000));
        assertAllSealed(dir, "shared", orders);
        assertAllSealed(dir, "shared", payments);
    }

    @Test
    void anotherProcessLogsIntoTheSameDirectoryAndDrainsOnJvmShutdown() throws Exception {
        int count = 3000;
        Process child = startChild("exit", count);
        LoggerContext ctx = configure("options.xml", Map.of("directory", dir.toString()));
        String parentId = rootAppender(ctx).writerId();
        logNumbered(LoggerFactory.getLogger("parent"), "parent ", count);

        BufferedReader out = stdout(child);
        String childId = out.readLine().substring("writer ".length());
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(stderr(child)).isZero();
        ctx.reset();

        // The child never stopped Logback: its writer's shutdown hook drained the ring and sealed.
        assertAllSealed(dir, "logs", childId);
        assertAllSealed(dir, "logs", parentId);
        Map<String, List<String>> byWriter = bodiesByWriter(readAll(dir, "logs"));
        assertThat(byWriter).containsOnlyKeys(parentId, childId);
        assertThat(byWriter.get(childId)).containsExactlyElementsOf(numbered("child ", count));
        assertThat(byWriter.get(parentId)).containsExactlyElementsOf(numbered("parent ", count));
    }

    @Test
    void aProcessThatNeverStopsLogbackPrintsItsExactTotalsAtExit() throws Exception {
        int count = 20_000;
        Process child = startChild("exit", count, "-DringBufferSize=2", "-DringFullPolicy=drop");
        BufferedReader out = stdout(child);
        String childId = out.readLine().substring("writer ".length());
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(stderr(child)).isZero();

        long stored = bodiesByWriter(readAll(dir, "logs")).getOrDefault(childId, List.of()).size();
        long lost = count - stored;
        assertThat(lost).as("a 2-slot ring drops some of a burst").isPositive();
        // No status listener is configured: the final report is printed on standard error.
        assertThat(stderr(child)).contains("Bucketlog writer " + childId + " closed: " + count
                + " events appended, " + stored + " written, " + lost + " lost (ring full " + lost + ")");
        assertAllSealed(dir, "logs", childId);
    }

    @Test
    void killedProcessKeepsEverythingItHandedToTheOs() throws Exception {
        int count = 2000;
        Process child = startChild("kill", count);
        BufferedReader out = stdout(child);
        String childId = out.readLine().substring("writer ".length());
        assertThat(out.readLine()).as(stderr(child)).isEqualTo("written " + count);
        child.destroyForcibly(); // SIGKILL: no shutdown hook, buckets stay open
        child.waitFor(2, TimeUnit.MINUTES);

        assertThat(bucketEntries(dir, "logs").get(childId)[1]).as("sealed buckets").isZero();
        Map<String, List<String>> byWriter = bodiesByWriter(readAll(dir, "logs"));
        assertThat(byWriter.get(childId)).containsExactlyElementsOf(numbered("child ", count));
    }

    private Process startChild(String mode, int count, String... properties) throws IOException {
        Path err = Files.createTempFile(logs, "child", ".err");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=options.xml",
                "-Ddirectory=" + dir));
        command.addAll(List.of(properties));
        command.addAll(List.of(ChildLoggerMain.class.getName(), mode, Integer.toString(count)));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectError(err.toFile());
        Process p = pb.start();
        children.add(p);
        errFiles.put(p, err);
        return p;
    }

    private final Map<Process, Path> errFiles = new java.util.HashMap<>();

    private String stderr(Process p) throws IOException {
        return "child stderr: " + Files.readString(errFiles.get(p));
    }

    private static BufferedReader stdout(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void logNumbered(Logger log, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            log.info(prefix + "{}", i);
        }
    }

    private static List<String> numbered(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    /** Bodies per writer id, in the order read (time order, and sequence order for ties). */
    private static Map<String, List<String>> bodiesByWriter(List<Event> events) {
        return events.stream().collect(Collectors.groupingBy(e -> e.id().writerId(),
                Collectors.mapping(Event::bodyText, Collectors.toList())));
    }
}

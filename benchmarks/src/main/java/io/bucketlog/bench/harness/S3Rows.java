package io.bucketlog.bench.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The harness's S3 rows, on S3Proxy on loopback (its filesystem store, in the work directory):
 * ingest, and the cross-host tail (writer and tail in separate JVMs, each its own spool) with the
 * tail's poll on files and two tied to the publish interval; each with the requests its
 * backend counted and their price ({@link S3Cost}).
 */
final class S3Rows {
    static final String INGEST = "S3 ingest (S3Proxy)";
    static final String TAIL = "S3 cross-host tail (S3Proxy)";
    /** The backend's default publish interval. */
    static final int PUBLISH_MILLIS = 1000;
    /** The tail's poll on files, its default on an object store (a quarter of the publish interval), half. */
    static final List<Integer> POLLS = List.of(5, PUBLISH_MILLIS / 4, PUBLISH_MILLIS / 2);
    static final String TAIL_LISTS = "tail LIST/s";
    /**
     * Parts the writer's publisher uploaded per publish interval (the run's, and the publish at
     * close): its PUTs but the creates and seals.
     */
    static final String WRITER_PARTS = "writer parts/interval";
    private static final int TAIL_RATE = 2_000;

    private S3Rows() {
    }

    static String tailConfig(int pollMillis) {
        return Harness.BUCKETLOG + ", poll " + pollMillis + " ms";
    }

    /** Runs the S3 children against one S3Proxy started for them. */
    static void run(Report report, ChildJvm jvm, HarnessOptions options, Path dir, List<String> jvmArgs) {
        try (S3ProxyProcess server = S3ProxyProcess.start(dir.resolve("s3proxy"))) {
            List<String> args = new java.util.ArrayList<>(jvmArgs);
            args.addAll(server.credentials());
            ingest(report, jvm, options, server, dir.resolve("ingest"), args);
            for (int poll : POLLS) {
                tail(report, jvm, options, server, dir.resolve("tail-" + poll), args, poll);
            }
        } finally {
            DiskUsage.delete(dir);
        }
    }

    private static void ingest(Report report, ChildJvm jvm, HarnessOptions options, S3ProxyProcess server,
                               Path dir, List<String> jvmArgs) {
        Properties p = jvm.run(ChildJvm.Classpath.STORE, jvmArgs, S3IngestChild.class,
                dir.resolve("result.properties"), List.of(
                        server.location("ingest", dir.resolve("writer-spool"), PUBLISH_MILLIS),
                        server.location("ingest", dir.resolve("reader-spool"), PUBLISH_MILLIS),
                        Long.toString(options.s3Events())));
        Report.Row row = report.row(INGEST, Harness.BUCKETLOG, "1");
        Report.addCounts(row, p);
        row.put(Report.RATE, Report.num(p, "persisted") / Report.num(p, "seconds"));
        S3Cost.perMillionEvents(row, p, "writer", Report.num(p, "produced"));
    }

    private static void tail(Report report, ChildJvm jvm, HarnessOptions options, S3ProxyProcess server,
                             Path dir, List<String> jvmArgs, int poll) {
        String prefix = "tail-" + poll;
        Properties p = jvm.run(ChildJvm.Classpath.STORE, jvmArgs, TailChild.class,
                dir.resolve("result.properties"), List.of(
                        server.location(prefix, dir.resolve("tail-spool"), PUBLISH_MILLIS),
                        server.location(prefix, dir.resolve("writer-spool"), PUBLISH_MILLIS),
                        Integer.toString(TAIL_RATE), Integer.toString(options.tailSeconds()),
                        Integer.toString(poll)));
        Report.Row row = report.row(TAIL, tailConfig(poll), "1");
        Report.addCounts(row, p);
        Report.addLatencies(row, p, "latency", false);
        double writerSeconds = Report.num(p, "writer.seconds");
        double tailSeconds = Report.num(p, "tail.seconds");
        row.note("writer PUT/s", Report.num(p, "writer.puts") / writerSeconds);
        // the intervals of the run and the publish at close
        row.note(WRITER_PARTS, Report.num(p, "writer.parts") / (writerSeconds * 1000 / PUBLISH_MILLIS + 1));
        row.note(TAIL_LISTS, Report.num(p, "tail.lists") / tailSeconds);
        row.note("tail GET/s", Report.num(p, "tail.gets") / tailSeconds);
        row.note("tail $/day", S3Cost.dollars(Report.num(p, "tail.puts"), Report.num(p, "tail.gets"),
                Report.num(p, "tail.lists")) * 86_400 / tailSeconds);
        S3Cost.perMillionEvents(row, p, "writer", Report.num(p, "produced"));
        row.note("events/s written", TAIL_RATE);
    }
}

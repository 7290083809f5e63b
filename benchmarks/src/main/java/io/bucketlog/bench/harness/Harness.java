package io.bucketlog.bench.harness;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The end-to-end harness: runs every workload, each configuration in its own child JVM with only
 * its framework on the classpath, configurations alternated within a run, and prints one table.
 *
 * <pre>
 * benchmarks/run.sh [--quick] [--runs N] [--jfr] [--dir PATH] [--only SECTION]... [--log-events N]
 * </pre>
 *
 * See docs/PERFORMANCE.md for what each row measures.
 */
public final class Harness {
    static final String THROUGHPUT = "logging 5M";
    static final String PACED = "logging paced 100k/s";
    static final String TIMELINE_INGEST = "timeline ingest";
    static final String LATEST = "timeline latest-50";
    static final String RANGE = "timeline user 1h range";
    static final String SCAN = "full scan";
    /** Bucketlog's scan in the order its files hold the events ({@code Query.storageOrder()}). */
    static final String SCAN_STORAGE_ORDER = "full scan, storage order";
    static final String TAIL = "cross-process tail";
    static final String BRIGADE = "brigade (compaction)";
    static final String BUCKETLOG = "Bucketlog";
    static final String COMPACTED = " after compaction";
    static final String ROCKSDB = "RocksDB " + "10.10.1";
    private static final int TAIL_RATE = 2_000;

    private final HarnessOptions options;
    private final ChildJvm jvm;
    private final PrintStream progress;
    private int childNumber;

    Harness(HarnessOptions options, PrintStream progress) {
        this.options = options;
        this.jvm = ChildJvm.locate(options.workDir().resolve("lib"));
        this.progress = progress;
    }

    public static void main(String[] args) {
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Report report = new Harness(options, System.err).run();
        System.out.println(report.render());
    }

    Report run() {
        Report report = new Report();
        for (int run = 1; run <= options.runs(); run++) {
            progress.printf("run %d of %d%n", run, options.runs());
            if (runs(HarnessOptions.Section.THROUGHPUT)) {
                for (int threads : new int[] {1, 2}) {
                    for (LogConfig c : LogConfig.values()) {
                        throughput(report, c, threads);
                    }
                }
            }
            if (runs(HarnessOptions.Section.PACED)) {
                for (LogConfig c : LogConfig.values()) {
                    paced(report, c);
                }
            }
            if (runs(HarnessOptions.Section.TIMELINE)) {
                timeline(report, "store", BUCKETLOG);
                timeline(report, "store-compacted", BUCKETLOG + COMPACTED);
                timeline(report, "rocksdb", ROCKSDB);
            }
            if (runs(HarnessOptions.Section.TAIL)) {
                tail(report);
            }
            if (runs(HarnessOptions.Section.S3)) {
                progress.printf("  S3 on S3Proxy: ingest, cross-host tail%n");
                S3Rows.run(report, jvm, options, childDir("s3"), jvmArgs("s3", "1g"));
            }
        }
        return report;
    }

    private boolean runs(HarnessOptions.Section section) {
        return options.only().contains(section);
    }

    private List<String> jvmArgs(String name, String heap) {
        List<String> args = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap));
        if (options.jfr()) {
            Path profiles = options.workDir().resolve("profiles");
            try {
                java.nio.file.Files.createDirectories(profiles);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create " + profiles, e);
            }
            Path jfr = profiles.resolve(String.format("%03d-%s.jfr", childNumber, name));
            // (-XX:+FlightRecorder is implied, and deprecated since JDK 13.)
            args.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr);
        }
        return args;
    }

    private Path childDir(String name) {
        return options.workDir().resolve(String.format("%03d-%s", ++childNumber, name));
    }

    private Properties logging(LogConfig c, String mode, int threads, long events) {
        String name = c.name().toLowerCase(java.util.Locale.ROOT) + "-" + mode + "-" + threads;
        progress.printf("  %s, %s, %d thread(s)%n", c.title, mode, threads);
        Path dir = childDir(name);
        Path out = dir.resolve("out");
        List<String> jvmArgs = jvmArgs(name, "2g");
        jvmArgs.add("-Dbench.out=" + out);
        if (c.framework == LogConfig.Framework.LOG4J2) {
            jvmArgs.add("-Dlog4j2.configurationFile=" + c.configResource);
            jvmArgs.add("-Dlog4j2.shutdownHookEnabled=false");
        } else {
            jvmArgs.add("-Dlogback.configurationFile=" + c.configResource);
        }
        jvmArgs.addAll(c.jvmArgs);
        List<String> args = List.of(mode, Integer.toString(threads), Long.toString(events),
                out.toString(), c.output.name(), Integer.toString(options.pacedRate()));
        try {
            return c.framework == LogConfig.Framework.LOG4J2
                    ? jvm.run(ChildJvm.Classpath.LOG4J2, jvmArgs, Log4j2Child.class,
                            dir.resolve("result.properties"), args)
                    : jvm.run(ChildJvm.Classpath.LOGBACK, jvmArgs, LogbackChild.class,
                            dir.resolve("result.properties"), args);
        } finally {
            DiskUsage.delete(out);
        }
    }

    private void throughput(Report report, LogConfig c, int threads) {
        Properties p = logging(c, "throughput", threads, options.logEvents());
        Report.Row row = report.row(THROUGHPUT, c.title, Integer.toString(threads));
        Report.addCounts(row, p);
        double seconds = Report.num(p, "seconds");
        // The warm-up events logged before the clock started are excluded from the rate.
        double timed = Report.num(p, "timedEvents");
        double lost = Report.num(p, "produced") - Report.num(p, "persisted");
        row.put(Report.SECONDS, seconds);
        double rate = (timed - lost) / seconds;
        row.put(Report.RATE, rate);
        row.note(Report.CPU_PER_EVENT, Report.num(p, "cpuSeconds") * 1e6 / timed);
        row.note(Report.PRODUCER_CPU_PER_EVENT, Report.num(p, "producerCpuSeconds") * 1e6 / timed);
        row.note(Report.BACKGROUND_CPU_PER_EVENT,
                Report.num(p, "backgroundCpuSeconds") * 1e6 / timed);
        if (!c.isFloor()) {
            // The floor ran earlier in this same run (LogConfig lists the floors first).
            Report.Row floor = report.find(THROUGHPUT, c.floor().title, Integer.toString(threads));
            if (floor != null) {
                row.note(Report.OF_FLOOR, rate / floor.last(Report.RATE));
            }
        }
    }

    private void paced(Report report, LogConfig c) {
        Properties p = logging(c, "paced", 1, options.pacedEvents());
        Report.Row row = report.row(PACED, c.title, "1");
        Report.addCounts(row, p);
        Report.addLatencies(row, p, "latency", true);
    }

    private void timeline(Report report, String kind, String title) {
        progress.printf("  timeline on %s%n", title);
        Path dir = childDir("timeline-" + kind);
        Path data = dir.resolve("data");
        Properties p;
        try {
            p = jvm.run(ChildJvm.Classpath.STORE, jvmArgs("timeline-" + kind, "3g"),
                    TimelineChild.class, dir.resolve("result.properties"),
                    List.of(kind, data.toString(), Long.toString(options.timelineEvents()),
                            Integer.toString(options.timelineUsers()),
                            Integer.toString(options.queries())));
        } finally {
            DiskUsage.delete(data);
        }
        Report.Row ingest = report.row(TIMELINE_INGEST, title, "1");
        Report.addCounts(ingest, p);
        ingest.put(Report.RATE, Report.num(p, "persisted") / Report.num(p, "seconds"));
        for (String[] q : new String[][] {{LATEST, "latest"}, {RANGE, "range"}}) {
            Report.Row row = report.row(q[0], title, "1");
            Report.addLatencies(row, p, q[1], false);
            row.put(Report.PRODUCED, Report.num(p, q[1] + ".count"));
            row.note("events found", Report.num(p, q[1] + ".found"));
            // Thread CPU per query, and how much of the slowest 1% was waiting for a core: on a
            // shared machine the p99 is mostly the scheduler (docs/PERFORMANCE.md).
            row.note("CPU p50 µs", Report.num(p, q[1] + ".cpu.p50"));
            row.note("CPU p99 µs", Report.num(p, q[1] + ".cpu.p99"));
            row.note("p99 µs of the first half", Report.num(p, q[1] + ".p99.half1"));
            row.note("p99 µs of the second half", Report.num(p, q[1] + ".p99.half2"));
            row.note("slowest 1%: share waiting for a core", Report.num(p, q[1] + ".slow.queuedShareMedian"));
            if (kind.startsWith("store")) {
                row.note("buckets opened/query", Report.num(p, q[1] + ".buckets"));
                row.note("blocks read/query", Report.num(p, q[1] + ".blocks"));
                row.note("footer cache hits/bucket opened", Report.num(p, q[1] + ".footerHitRate"));
                row.note("index files read/query", Report.num(p, q[1] + ".indexFilesRead"));
            }
        }
        scanRow(report, SCAN, title, p, "scan");
        if (p.getProperty("scanStored.events") != null) {
            scanRow(report, SCAN_STORAGE_ORDER, title, p, "scanStored");
        }
        if (kind.equals("store-compacted")) {
            Report.Row brigade = report.row(BRIGADE, BUCKETLOG, "1");
            brigade.put(Report.PERSISTED, Report.num(p, "persisted"));
            brigade.put(Report.RATE, Report.num(p, "persisted") / Report.num(p, "brigade.seconds"));
            brigade.note("seconds", Report.num(p, "brigade.seconds"));
            brigade.note("merges", Report.num(p, "brigade.merges"));
            brigade.note("bytes written", Report.num(p, "brigade.bytesWritten"));
            brigade.note("disk bytes before", Report.num(p, "diskBytes"));
            brigade.note("disk bytes after", Report.num(p, "diskBytesAfter"));
        }
    }

    /** A full-scan row from the child's keys {@code key.events}, {@code key.eventsPerSec} and {@code key.mbPerSec}. */
    private static void scanRow(Report report, String workload, String title, Properties p, String key) {
        Report.Row row = report.row(workload, title, "1");
        row.put(Report.PERSISTED, Report.num(p, key + ".events"));
        row.put(Report.RATE, Report.num(p, key + ".eventsPerSec"));
        row.note("MB/s decoded", Report.num(p, key + ".mbPerSec"));
    }

    private void tail(Report report) {
        progress.printf("  cross-process tail%n");
        Path dir = childDir("tail");
        Path data = dir.resolve("data");
        Properties p;
        try {
            p = jvm.run(ChildJvm.Classpath.STORE, jvmArgs("tail", "1g"), TailChild.class,
                    dir.resolve("result.properties"), List.of(data.toString(), data.toString(),
                            Integer.toString(TAIL_RATE), Integer.toString(options.tailSeconds()), "5"));
        } finally {
            DiskUsage.delete(data);
        }
        Report.Row row = report.row(TAIL, BUCKETLOG, "1");
        Report.addCounts(row, p);
        Report.addLatencies(row, p, "latency", false);
        row.note("events/s written", TAIL_RATE);
    }
}

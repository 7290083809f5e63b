package io.bucketlog.bench.harness;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * The sizes of one harness run.
 *
 * @param logEvents events per logging throughput run (split over the producer threads)
 * @param pacedEvents events of the paced latency run, at {@code pacedRate} per second
 * @param pacedRate events per second of the paced latency run
 * @param timelineEvents events of the timeline workload
 * @param timelineUsers distinct users (keys) of the timeline workload
 * @param queries queries of each timeline query type
 * @param tailSeconds how long the cross-process tail writer appends (also on S3)
 * @param s3Events events of the S3 ingest run
 * @param runs how many times the whole suite runs (the table shows medians and ranges)
 * @param workDir where children write their data (deleted after each child)
 * @param jfr whether children record a JFR profile into {@code workDir/../profiles}
 * @param s3Events events of the S3 ingest run
 * @param only the sections that run; all of them unless {@code --only} narrows it
 */
record HarnessOptions(long logEvents, long pacedEvents, int pacedRate, long timelineEvents,
                      int timelineUsers, int queries, int tailSeconds, long s3Events, int runs,
                      Path workDir, boolean jfr, Set<Section> only) {

    /** The parts of a run {@code --only} can choose. */
    enum Section {
        /** The logging throughput rows (floors, appenders, peers; 1 and 2 threads). */
        THROUGHPUT,
        /** The paced 100 k/s latency rows. */
        PACED,
        /** Timeline ingest, queries and full scan, before and after compaction, and RocksDB. */
        TIMELINE,
        /** The cross-process tail. */
        TAIL,
        /** Ingest and the cross-host tail on S3Proxy, with the backend's request counts. */
        S3;

        /** A section by its {@code --only} name; {@code logging} is throughput and paced. */
        static Set<Section> named(String name) {
            return switch (name) {
                case "logging" -> EnumSet.of(THROUGHPUT, PACED);
                case "throughput" -> EnumSet.of(THROUGHPUT);
                case "paced" -> EnumSet.of(PACED);
                case "timeline" -> EnumSet.of(TIMELINE);
                case "tail" -> EnumSet.of(TAIL);
                case "s3" -> EnumSet.of(S3);
                default -> throw new IllegalArgumentException("unknown section '" + name
                        + "'; --only takes logging, throughput, paced, timeline, tail or s3");
            };
        }
    }

    static final int PACED_RATE = 100_000;

    /** The documented full run: 5 M events per workload. */
    static HarnessOptions full(Path workDir) {
        return new HarnessOptions(5_000_000, 2_000_000, PACED_RATE, 5_000_000, 100_000, 20_000, 10,
                1_000_000, 1, workDir, false, EnumSet.allOf(Section.class));
    }

    /** A run that finishes in under two minutes, for development. */
    static HarnessOptions quick(Path workDir) {
        return new HarnessOptions(300_000, 200_000, PACED_RATE, 300_000, 6_000, 2_000, 3, 100_000,
                1, workDir, false, EnumSet.allOf(Section.class));
    }

    /**
     * Parses {@code [--quick] [--runs N] [--jfr] [--dir PATH] [--only SECTION]...
     * [--log-events N] [--s3-only]}; {@code --log-events} sets the events of each logging throughput child.
     */
    static HarnessOptions parse(String[] args) {
        boolean quick = false;
        boolean jfr = false;
        boolean onlyS3 = false;
        int runs = 1;
        long logEvents = -1; // not given
        Set<Section> only = EnumSet.noneOf(Section.class);
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "bucketlog-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--jfr" -> jfr = true;
                case "--s3-only" -> onlyS3 = true;
                case "--runs" -> runs = Integer.parseInt(value(args, ++i, "--runs"));
                case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
                case "--only" -> only.addAll(Section.named(value(args, ++i, "--only")));
                case "--log-events" -> {
                    logEvents = Long.parseLong(value(args, ++i, "--log-events"));
                    if (logEvents <= 0) {
                        throw new IllegalArgumentException("--log-events must be positive, was "
                                + logEvents);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; usage: [--quick] [--runs N] [--jfr] [--dir PATH] [--only SECTION]"
                        + " [--log-events N] [--s3-only]");
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, was " + runs);
        }
        HarnessOptions base = quick ? quick(dir) : full(dir);
        if (onlyS3) {
            only.add(Section.S3);
        }
        return new HarnessOptions(logEvents > 0 ? logEvents : base.logEvents, base.pacedEvents,
                base.pacedRate, base.timelineEvents, base.timelineUsers, base.queries,
                base.tailSeconds, base.s3Events, runs, dir, jfr,
                only.isEmpty() ? EnumSet.allOf(Section.class) : only);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }
}

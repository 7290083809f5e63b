package io.bucketlog.bench.harness;

import java.nio.file.Path;

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
 * @param onlyS3 whether to run only the S3 rows ({@code --s3-only})
 */
record HarnessOptions(long logEvents, long pacedEvents, int pacedRate, long timelineEvents,
                      int timelineUsers, int queries, int tailSeconds, long s3Events, int runs,
                      Path workDir, boolean jfr, boolean onlyS3) {

    static final int PACED_RATE = 100_000;

    /** The documented full run: 5 M events per workload. */
    static HarnessOptions full(Path workDir) {
        return new HarnessOptions(5_000_000, 2_000_000, PACED_RATE, 5_000_000, 100_000, 20_000, 10,
                1_000_000, 1, workDir, false, false);
    }

    /** A run that finishes in under two minutes, for development. */
    static HarnessOptions quick(Path workDir) {
        return new HarnessOptions(300_000, 200_000, PACED_RATE, 300_000, 6_000, 2_000, 3, 100_000,
                1, workDir, false, false);
    }

    /** Parses {@code [--quick] [--s3-only] [--runs N] [--jfr] [--dir PATH]}. */
    static HarnessOptions parse(String[] args) {
        boolean quick = false;
        boolean jfr = false;
        boolean onlyS3 = false;
        int runs = 1;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "bucketlog-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--jfr" -> jfr = true;
                case "--s3-only" -> onlyS3 = true;
                case "--runs" -> runs = Integer.parseInt(value(args, ++i, "--runs"));
                case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; usage: [--quick] [--s3-only] [--runs N] [--jfr] [--dir PATH]");
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, was " + runs);
        }
        HarnessOptions base = quick ? quick(dir) : full(dir);
        return new HarnessOptions(base.logEvents, base.pacedEvents, base.pacedRate,
                base.timelineEvents, base.timelineUsers, base.queries, base.tailSeconds, base.s3Events,
                runs, dir, jfr, onlyS3);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }
}

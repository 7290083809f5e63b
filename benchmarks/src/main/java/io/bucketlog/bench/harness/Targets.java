package io.bucketlog.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The performance targets of docs/PERFORMANCE.md, read from the medians of a {@link Report}: each
 * line says the figures, the ratio and MET or MISSED. Targets are goals to report against; nothing
 * fails when one is missed.
 */
final class Targets {
    private Targets() {
    }

    static List<String> evaluate(Report report) {
        List<String> out = new ArrayList<>();
        out.add("Targets (medians of this run's figures):");
        for (String thr : List.of("1", "2")) {
            throughput(report, out, thr, LogConfig.BUCKETLOG_LOG4J2,
                    LogConfig.LOG4J2_ASYNC_RAF, LogConfig.LOG4J2_SYNC_RAF);
            throughput(report, out, thr, LogConfig.BUCKETLOG_LOGBACK, LogConfig.LOGBACK_ASYNC_FILE);
            for (LogConfig ours : List.of(LogConfig.BUCKETLOG_LOG4J2, LogConfig.BUCKETLOG_LOGBACK)) {
                Report.Row o = report.find(Harness.THROUGHPUT, ours.title, thr);
                if (o != null && o.notes.containsKey(Report.OF_FLOOR)) {
                    double ratio = o.median(Report.OF_FLOOR);
                    out.add(line(ratio >= 0.7, String.format(Locale.ROOT,
                            "%s, %s thread(s): %.2f x %s (target >= 0.7)", ours.title, thr,
                            ratio, ours.floor().title)));
                }
            }
        }
        for (LogConfig ours : List.of(LogConfig.BUCKETLOG_LOG4J2, LogConfig.BUCKETLOG_LOGBACK)) {
            Report.Row paced = report.find(Harness.PACED, ours.title, "1");
            if (paced != null) {
                double p99 = paced.median(Report.P99);
                double p9999 = paced.median(Report.P9999);
                out.add(line(p99 <= 1.5 && p9999 <= 50, String.format(Locale.ROOT,
                        "%s producer latency at 100k/s: p99 %.2f µs (target <= 1.5), p99.99 %.2f µs"
                                + " (target <= 50)", ours.title, p99, p9999)));
            }
            Report.Row ourRow = report.find(Harness.THROUGHPUT, ours.title, "1");
            Report.Row text = report.find(Harness.THROUGHPUT, LogConfig.LOG4J2_SYNC_RAF.title, "1");
            if (ourRow != null && text != null) {
                double ratio = ourRow.median(Report.DISK) / text.median(Report.DISK);
                out.add(line(ratio <= 0.15, String.format(Locale.ROOT,
                        "%s bytes on disk = %.3f x the Log4j2 text log (target <= 0.15)",
                        ours.title, ratio)));
            }
        }
        Report.Row ingest = report.find(Harness.TIMELINE_INGEST, Harness.BUCKETLOG, "1");
        Report.Row rocksIngest = report.find(Harness.TIMELINE_INGEST, Harness.ROCKSDB, "1");
        if (ingest != null && rocksIngest != null) {
            double ratio = ingest.median(Report.RATE) / rocksIngest.median(Report.RATE);
            out.add(line(ratio >= 3, String.format(Locale.ROOT,
                    "timeline ingest = %.3f x RocksDB (target >= 3)", ratio)));
            out.add(String.format(Locale.ROOT, "  info: timeline bytes on disk = %.2f x RocksDB",
                    ingest.median(Report.DISK) / rocksIngest.median(Report.DISK)));
        }
        for (String q : List.of(Harness.LATEST, Harness.RANGE)) {
            Report.Row ours = report.find(q, Harness.BUCKETLOG, "1");
            Report.Row rocks = report.find(q, Harness.ROCKSDB, "1");
            if (ours != null && rocks != null) {
                double a = ours.median(Report.P99);
                double b = rocks.median(Report.P99);
                out.add(line(a <= b, String.format(Locale.ROOT,
                        "%s p99: %.1f µs vs RocksDB %.1f µs = %.2f x (target <= 1)", q, a, b, a / b)));
            }
        }
        compacted(report, out);
        Report.Row tail = report.find(Harness.TAIL, Harness.BUCKETLOG, "1");
        if (tail != null) {
            double p99 = tail.median(Report.P99) / 1000;
            out.add(line(p99 < 10, String.format(Locale.ROOT,
                    "cross-process tail p99 %.2f ms (target < 10 ms)", p99)));
        }
        s3(report, out);
        return out;
    }

    /** The targets of the store after compaction (issue 13, point 8), against RocksDB. */
    private static void compacted(Report report, List<String> out) {
        String title = Harness.BUCKETLOG + Harness.COMPACTED;
        for (String q : List.of(Harness.LATEST, Harness.RANGE)) {
            Report.Row ours = report.find(q, title, "1");
            Report.Row rocks = report.find(q, Harness.ROCKSDB, "1");
            if (ours != null && rocks != null) {
                double a = ours.median(Report.P99);
                double b = rocks.median(Report.P99);
                out.add(line(a <= b, String.format(Locale.ROOT,
                        "%s after compaction p99: %.1f µs vs RocksDB %.1f µs = %.2f x (target <= 1)",
                        q, a, b, a / b)));
            }
        }
        // RocksDB's scan iterates in its storage order (key, then time): the storage-order row is
        // the same operation; the time-ordered row also merges and sorts into global time order.
        Report.Row rocksScan = report.find(Harness.SCAN, Harness.ROCKSDB, "1");
        for (String[] row : new String[][] {{Harness.SCAN, "time order"},
                {Harness.SCAN_STORAGE_ORDER, "storage order"}}) {
            Report.Row scan = report.find(row[0], title, "1");
            if (scan != null && rocksScan != null) {
                double ratio = scan.median(Report.RATE) / rocksScan.median(Report.RATE);
                out.add(line(ratio >= 1, String.format(Locale.ROOT,
                        "full scan after compaction, in %s = %.2f x RocksDB's scan in its"
                                + " storage order (target >= 1)", row[1], ratio)));
            }
        }
        Report.Row brigade = report.find(Harness.BRIGADE, Harness.BUCKETLOG, "1");
        if (brigade != null) {
            double before = brigade.median("disk bytes before");
            double after = brigade.median("disk bytes after");
            out.add(line(after <= before, String.format(Locale.ROOT,
                    "bytes on disk after compaction = %.3f x before (target <= 1)", after / before)));
        }
    }

    private static void s3(Report report, List<String> out) {
        for (int poll : S3Rows.POLLS) {
            Report.Row tail = report.find(S3Rows.TAIL, S3Rows.tailConfig(poll), "1");
            if (tail == null) {
                continue;
            }
            double p99 = tail.median(Report.P99) / 1000;
            out.add(line(p99 <= 2.0 * S3Rows.PUBLISH_MILLIS, String.format(Locale.ROOT,
                    "S3 cross-host tail, poll %d ms: p99 %.0f ms (target <= 2 x the %d ms publish interval)",
                    poll, p99, S3Rows.PUBLISH_MILLIS)));
            // one open data bucket in this run; its index bucket grows only when a bucket opens or
            // seals, so it adds a part or two to the run, not one per interval
            double parts = tail.median(S3Rows.WRITER_PARTS);
            out.add(line(parts <= 1.0, String.format(Locale.ROOT,
                    "S3 writer, poll %d ms run: %.2f part PUTs per publish interval with one open bucket"
                            + " (target <= 1; creates and seals are counted in the row's PUTs)", poll, parts)));
        }
        if (report.find(S3Rows.INGEST, Harness.BUCKETLOG, "1") != null) {
            out.add("  info: " + S3Cost.PRICES);
        }
    }

    private static void throughput(Report report, List<String> out, String thr, LogConfig ours,
                                   LogConfig... peers) {
        Report.Row o = report.find(Harness.THROUGHPUT, ours.title, thr);
        if (o == null) {
            return;
        }
        double best = 0;
        String bestName = "";
        for (LogConfig p : peers) {
            Report.Row r = report.find(Harness.THROUGHPUT, p.title, thr);
            if (r != null && r.median(Report.RATE) > best) {
                best = r.median(Report.RATE);
                bestName = p.title;
            }
        }
        double ratio = o.median(Report.RATE) / best;
        double lost = o.median(Report.LOST);
        out.add(line(ratio >= 2 && lost == 0, String.format(Locale.ROOT,
                "%s, %s thread(s): %.0f persisted events/s = %.2f x %s (target >= 2), lost %.0f"
                        + " (target 0)", ours.title, thr, o.median(Report.RATE), ratio, bestName,
                lost)));
    }

    private static String line(boolean met, String text) {
        return (met ? "  MET     " : "  MISSED  ") + text;
    }
}

package io.bucketlog.bench.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The harness's one table: a row per (workload, configuration, threads), each cell the median of
 * the runs with their range, followed by the targets read from the medians. Figures of different
 * configurations in one row of the targets always come from the same runs.
 */
final class Report {
    /** Metric names a row may hold. */
    static final String PRODUCED = "produced";
    static final String PERSISTED = "persisted";
    static final String LOST = "lost";
    static final String SECONDS = "seconds";
    static final String RATE = "eventsPerSec";
    static final String DISK = "diskBytes";
    static final String P50 = "p50";
    static final String P99 = "p99";
    static final String P999 = "p999";
    static final String P9999 = "p9999";
    /** Note: a row's events/s over its framework's no-op floor's, in the same run. */
    static final String OF_FLOOR = "x floor";
    /** Note: CPU time of the whole child JVM over the timed part, per timed event. */
    static final String CPU_PER_EVENT = "CPU µs/event";
    /** Note: CPU time of the producer threads (the logging calls) per timed event. */
    static final String PRODUCER_CPU_PER_EVENT = "producer CPU µs/event";
    /**
     * Note: CPU time of the other Java threads (the bucket writer; an async logger's or
     * appender's thread) until the producers finished, per timed event.
     */
    static final String BACKGROUND_CPU_PER_EVENT = "background CPU µs/event";

    /** One row's values over the runs. */
    static final class Row {
        final String workload;
        final String config;
        final String threads;
        final Map<String, List<Double>> values = new LinkedHashMap<>();
        final Map<String, List<Double>> notes = new LinkedHashMap<>();

        Row(String workload, String config, String threads) {
            this.workload = workload;
            this.config = config;
            this.threads = threads;
        }

        void put(String metric, double v) {
            values.computeIfAbsent(metric, k -> new ArrayList<>()).add(v);
        }

        void note(String name, double v) {
            notes.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
        }

        /** The median over the runs, or NaN if the row has no such metric. */
        double median(String metric) {
            return Report.median(values.getOrDefault(metric, notes.get(metric)));
        }

        /** The value of the latest run. */
        double last(String metric) {
            List<Double> vs = values.get(metric);
            return vs.get(vs.size() - 1);
        }

        boolean has(String metric) {
            return values.containsKey(metric);
        }
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();

    Row row(String workload, String config, String threads) {
        return rows.computeIfAbsent(workload + "|" + config + "|" + threads,
                k -> new Row(workload, config, threads));
    }

    List<Row> rows() {
        return List.copyOf(rows.values());
    }

    /** The row, or {@code null}. */
    Row find(String workload, String config, String threads) {
        return rows.get(workload + "|" + config + "|" + threads);
    }

    /** Adds produced, persisted, lost and, when timed, persisted events per second. */
    static void addCounts(Row row, Properties p) {
        double produced = num(p, "produced");
        double persisted = num(p, "persisted");
        row.put(PRODUCED, produced);
        row.put(PERSISTED, persisted);
        row.put(LOST, produced - persisted);
        if (p.containsKey("diskBytes")) {
            row.put(DISK, num(p, "diskBytes"));
        }
    }

    static void addLatencies(Row row, Properties p, String prefix, boolean withP9999) {
        row.put(P50, num(p, prefix + ".p50"));
        row.put(P99, num(p, prefix + ".p99"));
        row.put(P999, num(p, prefix + ".p999"));
        if (withP9999) {
            row.put(P9999, num(p, prefix + ".p9999"));
        }
    }

    static double num(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("a child reported no '" + key + "': " + p);
        }
        return Double.parseDouble(v);
    }

    static double median(List<Double> vs) {
        if (vs == null || vs.isEmpty()) {
            return Double.NaN;
        }
        double[] a = vs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    private static String cell(List<Double> vs, double scale, String fmt) {
        if (vs == null || vs.isEmpty()) {
            return "";
        }
        String med = String.format(Locale.ROOT, fmt, median(vs) / scale);
        if (vs.size() == 1) {
            return med;
        }
        double[] a = vs.stream().mapToDouble(Double::doubleValue).toArray();
        double min = Arrays.stream(a).min().orElseThrow();
        double max = Arrays.stream(a).max().orElseThrow();
        return med + " (" + String.format(Locale.ROOT, fmt, min / scale) + "–"
                + String.format(Locale.ROOT, fmt, max / scale) + ")";
    }

    /** The table, then the targets. */
    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("| workload | configuration | thr | events | persisted | lost | events/s "
                + "| MB on disk | p50 µs | p99 µs | p99.9 µs | p99.99 µs | notes |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows.values()) {
            StringBuilder notes = new StringBuilder();
            for (Map.Entry<String, List<Double>> n : r.notes.entrySet()) {
                if (notes.length() > 0) {
                    notes.append("; ");
                }
                // Ratios and per-event costs are small numbers: two decimals; counts one.
                boolean small = Math.abs(median(n.getValue())) < 100;
                notes.append(n.getKey()).append(' ')
                        .append(cell(n.getValue(), 1, small ? "%.2f" : "%.1f"));
            }
            sb.append("| ").append(r.workload).append(" | ").append(r.config).append(" | ")
                    .append(r.threads).append(" | ")
                    .append(cell(r.values.get(PRODUCED), 1, "%.0f")).append(" | ")
                    .append(cell(r.values.get(PERSISTED), 1, "%.0f")).append(" | ")
                    .append(cell(r.values.get(LOST), 1, "%.0f")).append(" | ")
                    .append(cell(r.values.get(RATE), 1, "%.0f")).append(" | ")
                    .append(cell(r.values.get(DISK), 1e6, "%.1f")).append(" | ")
                    .append(cell(r.values.get(P50), 1, "%.2f")).append(" | ")
                    .append(cell(r.values.get(P99), 1, "%.2f")).append(" | ")
                    .append(cell(r.values.get(P999), 1, "%.2f")).append(" | ")
                    .append(cell(r.values.get(P9999), 1, "%.2f")).append(" | ")
                    .append(notes).append(" |\n");
        }
        sb.append('\n');
        for (String t : Targets.evaluate(this)) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }
}

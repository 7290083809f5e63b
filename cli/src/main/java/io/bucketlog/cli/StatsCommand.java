package io.bucketlog.cli;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Store;
import io.bucketlog.inspect.BucketInfo;
import io.bucketlog.inspect.StoreInspector;
import io.bucketlog.inspect.WindowInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bucketlog stats STORE}: sizes, counts and an events-over-time histogram per stream. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Events, bytes, compression ratio, buckets per window (open"
        + " and sealed) and an events-over-time histogram, per stream.")
final class StatsCommand implements Callable<Integer> {
    private static final int HISTOGRAM_ROWS = 24;
    private static final int BAR_WIDTH = 40;

    @Mixin
    StoreOption store;

    @Mixin
    StreamSelection selection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.openExisting()) {
            List<String> streams = selection.streams(store, s);
            if (streams.isEmpty()) {
                out.println("(no streams)");
            }
            try (Progress progress = new Progress(spec.commandLine().getErr(), "read buckets")) {
                for (String name : streams) {
                    print(out, name, collect(StoreInspector.of(s), name, progress));
                }
            }
        }
        return 0;
    }

    private static final class StreamStats {
        long events;
        long dataBytes;
        long indexBytes;
        long compressed;
        long uncompressed;
        long sealed;
        long open;
        int windows;
        int maxBucketsPerWindow;
        /** Buckets in the roll-up area (counted among the buckets too). */
        int rollUps;
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        long damaged;
        final TreeMap<Long, Long> eventsByBucketWindow = new TreeMap<>();
    }

    private static StreamStats collect(StoreInspector inspector, String stream, Progress progress) {
        StreamStats st = new StreamStats();
        List<CorruptionReport> damage = new ArrayList<>();
        for (WindowInfo w : inspector.windows(stream, progress::update, damage::add)) {
            if (w.rollUpArea()) {
                st.rollUps += w.buckets().size();
            } else {
                st.windows++;
                st.maxBucketsPerWindow = Math.max(st.maxBucketsPerWindow, w.buckets().size());
            }
            st.indexBytes += w.indexBytes();
            for (BucketInfo b : w.buckets()) {
                st.dataBytes += b.bytes();
                if (b.sealed()) {
                    st.sealed++;
                } else {
                    st.open++;
                }
                st.minTs = Math.min(st.minTs, b.minTimestamp());
                st.maxTs = Math.max(st.maxTs, b.maxTimestamp());
                st.compressed += b.compressedBytes();
                st.uncompressed += b.uncompressedBytes();
                st.damaged += b.damagedBlocks();
                st.events += b.events();
                st.eventsByBucketWindow.merge(b.windowStart(), b.events(), Long::sum);
            }
        }
        st.damaged += damage.size();
        return st;
    }

    private static void print(PrintWriter out, String name, StreamStats st) {
        out.println("stream " + name);
        out.printf(Locale.ROOT, "  events         %,d%n", st.events);
        out.printf(Locale.ROOT, "  on disk        %s (data %s, index %s)%n",
                Sizes.bytes(st.dataBytes + st.indexBytes), Sizes.bytes(st.dataBytes),
                Sizes.bytes(st.indexBytes));
        if (st.compressed > 0) {
            out.printf(Locale.ROOT, "  uncompressed   %s (compression ratio %.1fx)%n",
                    Sizes.bytes(st.uncompressed), (double) st.uncompressed / st.compressed);
        }
        out.printf(Locale.ROOT, "  buckets        %d (%d sealed, %d open) in %d index windows,"
                        + " up to %d per window%n", st.sealed + st.open, st.sealed, st.open,
                st.windows, st.maxBucketsPerWindow);
        if (st.rollUps > 0) {
            out.printf(Locale.ROOT, "  rolled up      %d of them, each wider than an index window%n",
                    st.rollUps);
        }
        if (st.events > 0) {
            out.printf("  time range     %s .. %s%n", OutputStyle.utc(st.minTs), OutputStyle.utc(st.maxTs));
        }
        if (st.damaged > 0) {
            out.printf("  damaged        %d places (run 'bucketlog verify' for details)%n", st.damaged);
        }
        if (!st.eventsByBucketWindow.isEmpty()) {
            out.println("  events over time");
            for (String line : histogram(st.eventsByBucketWindow)) {
                out.println("    " + line);
            }
        }
    }

    /** Slot widths the histogram may use, in seconds: round numbers a person reads easily. */
    private static final long[] SLOT_SECONDS = {1, 10, 60, 300, 600, 900, 1800, 3600, 7200,
        10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 30 * 86400, 365 * 86400};

    /**
     * One line per time slot: start, a bar scaled to the busiest slot, the count. Slots are the
     * smallest round width (a minute, an hour, six hours, a day...) that fits the range in
     * {@value #HISTOGRAM_ROWS} rows, aligned to the epoch.
     */
    static List<String> histogram(TreeMap<Long, Long> counts) {
        long first = counts.firstKey();
        long last = counts.lastKey();
        long width = SLOT_SECONDS[SLOT_SECONDS.length - 1] * 1_000_000_000L;
        for (long seconds : SLOT_SECONDS) {
            long w = seconds * 1_000_000_000L;
            if (Math.floorDiv(last, w) - Math.floorDiv(first, w) < HISTOGRAM_ROWS) {
                width = w;
                break;
            }
        }
        TreeMap<Long, Long> rows = new TreeMap<>();
        for (long slot = Math.floorDiv(first, width) * width; slot <= last; slot += width) {
            rows.put(slot, 0L);
        }
        for (var e : counts.entrySet()) {
            rows.merge(Math.floorDiv(e.getKey(), width) * width, e.getValue(), Long::sum);
        }
        long max = rows.values().stream().mapToLong(Long::longValue).max().orElse(1);
        List<String> lines = new ArrayList<>();
        for (var e : rows.entrySet()) {
            int len = (int) Math.round((double) e.getValue() * BAR_WIDTH / Math.max(1, max));
            if (len == 0 && e.getValue() > 0) {
                len = 1;
            }
            lines.add(String.format(Locale.ROOT, "%s  %-" + BAR_WIDTH + "s %,d",
                    OutputStyle.utc(e.getKey()).substring(0, 16).replace('T', ' '), "#".repeat(len),
                    e.getValue()));
        }
        return lines;
    }
}

package io.bucketlog.reader;

import io.bucketlog.Direction;
import io.bucketlog.Event;
import io.bucketlog.ScanRequest;
import io.bucketlog.ScanStats;
import io.bucketlog.internal.format.BlockEntry;
import io.bucketlog.internal.read.StreamScan;

/**
 * Computes a {@link Histogram}. When the query keeps every event of its range (no key, filter or
 * cursor), a block whose whole time range lies in one bin and inside the range is counted from
 * its block-table entry (the sealed bucket's footer, or an open bucket's frame header) and never
 * decoded; only blocks that straddle a bin or range boundary are read. Otherwise every candidate
 * block is read and its matching events counted. Either way the counts are exact, with two
 * exceptions that only table counting has: it does not de-duplicate against copies of the same
 * events in other buckets (which exist only while the brigade commits a merge), and it counts a
 * sealed bucket's block whose data is damaged (a query skips and reports it).
 */
final class HistogramCount {
    private HistogramCount() {
    }

    static Histogram run(BucketlogReader reader, QuerySpec spec, boolean everyEvent, long binNanos) {
        long from = spec.fromNanos();
        long to = spec.toNanos();
        if (binNanos <= 0) {
            throw new IllegalArgumentException("binNanos must be positive, was " + binNanos);
        }
        if (to == Long.MAX_VALUE) {
            throw new IllegalArgumentException("a histogram needs the end of its time range");
        }
        long span = to - from;
        long bins = Math.max(1, span / binNanos + (span % binNanos == 0 ? 0 : 1));
        if (bins > Histogram.MAX_BINS) {
            throw new IllegalArgumentException("a histogram has at most " + Histogram.MAX_BINS
                    + " bins; " + binNanos + " ns bins over this range make " + bins);
        }
        long[] counts = new long[(int) bins];
        long[] tallied = new long[1];
        StreamScan.BlockTally tally = !everyEvent ? null : (BlockEntry b) -> {
            if (b.minTimestamp() < from || b.maxTimestamp() >= to) {
                return false;
            }
            long bin = (b.minTimestamp() - from) / binNanos;
            if (bin != (b.maxTimestamp() - from) / binNanos) {
                return false;
            }
            counts[(int) bin] += b.count();
            tallied[0]++;
            return true;
        };
        ScanRequest request = new ScanRequest(spec.stream(), spec.key(), from, to, Direction.FORWARD);
        try (StreamScan scan = new StreamScan(reader.layout(), reader.history(spec.stream()), request,
                reader.readCache(), everyEvent ? null : spec::accepts, reader::reportCorruption,
                tally)) {
            while (scan.hasNext()) {
                Event e = scan.next();
                counts[(int) ((e.timestampNanos() - from) / binNanos)]++;
            }
            ScanStats s = scan.stats();
            reader.counters().bytesRead.add(s.bytesRead()); // index bytes: the index cache's count
            return new Histogram(from, binNanos, counts, tallied[0], s.blocksRead());
        }
    }
}

package io.bucketlog.reader;

import java.util.Arrays;

/**
 * Events per time bin of a query ({@link Query#histogram(long)}): bin {@code i} counts the events
 * with a timestamp in {@code [fromNanos + i * binNanos, fromNanos + (i + 1) * binNanos)}, the last
 * bin ending at the query's end.
 *
 * @param fromNanos start of the first bin, nanoseconds since the epoch
 * @param binNanos width of each bin
 * @param counts events per bin (a copy is returned)
 * @param blocksCounted blocks counted from their block-table entry, without being read
 * @param blocksDecoded blocks read and decoded to count their events one by one
 */
public record Histogram(long fromNanos, long binNanos, long[] counts, long blocksCounted,
                        long blocksDecoded) {
    /** The most bins one histogram may have. */
    public static final int MAX_BINS = 10_000;

    public Histogram {
        counts = counts.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** Events in every bin together. */
    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && fromNanos == h.fromNanos && binNanos == h.binNanos
                && blocksCounted == h.blocksCounted && blocksDecoded == h.blocksDecoded
                && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(fromNanos) * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram[fromNanos=" + fromNanos + ", binNanos=" + binNanos + ", counts="
                + Arrays.toString(counts) + ", blocksCounted=" + blocksCounted
                + ", blocksDecoded=" + blocksDecoded + "]";
    }
}

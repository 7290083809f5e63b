package io.bucketlog.bench;

import io.bucketlog.internal.format.BlockDecoder;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The baseline of {@link TimeOrderBenchmark}: {@code io.bucketlog.internal.read.TimeOrder} as it
 * was before its radix sort (commit 085f343), unchanged but for its name.
 *
 * <p>Puts records into forward read order, (timestamp, writer, sequence), by their timestamps packed
 * into one array of {@code long}s: a time slice of a merged bucket is sorted in one go, hundreds
 * of thousands of records, and comparing objects (every comparison two of them far apart in
 * memory) took over half of such a scan.
 *
 * <p>Each long is the timestamp's offset from the smallest, shifted left by enough bits for the
 * record's position, so sorting the longs sorts by time and keeps the position; records of one
 * timestamp are then put in id order. When the offsets need more bits than are left, the
 * records are first distributed by the offsets' high bits into up to 2^{@value #MAX_PARTITION_BITS}
 * consecutive time ranges (one counting pass), and each range is sorted that way on its low bits.
 * A time range wider still (only a damaged or hand-made bucket has one) is sorted by comparing.
 */
final class ComparisonTimeOrder {
    /** Below this many records (a block's worth) an insertion sort is as fast. */
    private static final int PACKED_FROM = 64;
    private static final int MAX_PARTITION_BITS = 16;

    private ComparisonTimeOrder() {
    }

    /**
     * The positions {@code 0..n-1} of the records in read order, record {@code i} being
     * ({@code timestamps[i]}, {@code writers[i]}, {@code sequences[i]}).
     */
    static int[] order(long[] timestamps, String[] writers, long[] sequences, int n) {
        Comparator<Integer> byId = (a, b) -> BlockDecoder.compare(0, writers[a], sequences[a], 0,
                writers[b], sequences[b]);
        if (n < PACKED_FROM) { // a block's worth, often in order already: insertion sort
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                int j = i;
                while (j > 0 && compare(timestamps, writers, sequences, out[j - 1], i) > 0) {
                    out[j] = out[j - 1];
                    j--;
                }
                out[j] = i;
            }
            return out;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, timestamps[i]);
            max = Math.max(max, timestamps[i]);
        }
        long range = max - min;
        int positionBits = 64 - Long.numberOfLeadingZeros(n - 1L);
        int lowBits = 63 - positionBits;
        int highBits = Math.max(0, 64 - Long.numberOfLeadingZeros(range) - lowBits);
        if (range < 0 || highBits > MAX_PARTITION_BITS) { // wider than a long, or than the partitions
            return byComparing(n, (a, b) -> compare(timestamps, writers, sequences, a, b));
        }
        int[] starts = new int[(1 << highBits) + 1];
        int[] byRange = partition(timestamps, n, min, lowBits, highBits, starts);
        long lowMask = (1L << lowBits) - 1;
        long positionMask = (1L << positionBits) - 1;
        long[] packed = new long[n];
        int[] sorted = new int[n];
        for (int p = 0; p + 1 < starts.length; p++) {
            int from = starts[p];
            int to = starts[p + 1];
            for (int i = from; i < to; i++) {
                packed[i] = ((timestamps[byRange[i]] - min) & lowMask) << positionBits | (i - from);
            }
            Arrays.sort(packed, from, to);
            for (int i = from; i < to; i++) {
                sorted[i] = byRange[from + (int) (packed[i] & positionMask)];
            }
        }
        for (int i = 0; i < n; ) {
            int j = i + 1;
            while (j < n && timestamps[sorted[j]] == timestamps[sorted[i]]) {
                j++;
            }
            if (j - i > 1) {
                Integer[] tie = new Integer[j - i];
                for (int k = i; k < j; k++) {
                    tie[k - i] = sorted[k];
                }
                Arrays.sort(tie, byId);
                for (int k = i; k < j; k++) {
                    sorted[k] = tie[k - i];
                }
            }
            i = j;
        }
        return sorted;
    }

    private static int compare(long[] timestamps, String[] writers, long[] sequences, int a, int b) {
        return BlockDecoder.compare(timestamps[a], writers[a], sequences[a], timestamps[b],
                writers[b], sequences[b]);
    }

    private static int[] byComparing(int n, Comparator<Integer> order) {
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, order);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = boxed[i];
        }
        return out;
    }

    /**
     * The positions grouped by the high bits of their offsets, in ascending groups; {@code starts}
     * gets where each group starts, and the end.
     */
    private static int[] partition(long[] timestamps, int n, long min, int lowBits, int highBits,
                                   int[] starts) {
        int[] out = new int[n];
        if (highBits == 0) {
            for (int i = 0; i < n; i++) {
                out[i] = i;
            }
            starts[1] = n;
            return out;
        }
        for (int i = 0; i < n; i++) {
            starts[(int) ((timestamps[i] - min) >>> lowBits) + 1]++;
        }
        for (int p = 1; p < starts.length; p++) {
            starts[p] += starts[p - 1];
        }
        int[] next = Arrays.copyOf(starts, starts.length);
        for (int i = 0; i < n; i++) {
            out[next[(int) ((timestamps[i] - min) >>> lowBits)]++] = i;
        }
        return out;
    }
}

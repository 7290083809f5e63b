package io.bucketlog.internal.read;

import io.bucketlog.internal.format.BlockDecoder;
import java.util.Arrays;

/**
 * Puts records into forward read order, (timestamp, writer, sequence), by a radix sort of their
 * timestamps packed into {@code long}s: a time slice of a merged bucket is sorted in one go,
 * hundreds of thousands of records, and sorting them by comparing (objects first, then packed
 * longs with {@code Arrays.sort}) took a quarter to a half of a scan of a compacted store.
 *
 * <p>Each long is the record's sort key in its high bits and its position in the low bits. The key
 * is the timestamp's offset from the smallest, less the low bits that every timestamp shares (a
 * clock of microseconds leaves three), and, when the offset and the position together need more
 * than 64 bits, less as many low bits again. An LSD radix sort of {@value #DIGIT_BITS}-bit digits
 * or fewer then orders the longs by key alone: its passes are stable and the positions start out
 * ascending, so the position bits need no pass of their own, and a digit on which every key agrees
 * (one counting pass finds them all) is skipped. The keys are unique within a slice in the common
 * case; records of one key (equal timestamps, or timestamps within the dropped low bits) are then
 * put in full read order by comparing, an insertion sort for the small groups that are the rule
 * and a merge sort for a large one, so no timestamps, however far apart, need another path.
 *
 * <p>A slice of a merged bucket is many short per-key runs, each sorted by time (about a hundred
 * thousand runs of a few records); merging those runs would take some seventeen passes, the radix
 * sort four or five.
 *
 * <p>Ownership: the arrays are kept from call to call, so that a scan sorting slice after slice
 * allocates them once (for a slice of 750,000 records about 15 MB). An instance belongs
 * to one scan, which is single-threaded, and the array {@link #order} returns is valid until its
 * next call. Public for the benchmarks only.
 */
public final class TimeOrder {
    /** Below this many records (a block's worth, often in order already) insertion is as fast. */
    private static final int INSERTION_BELOW = 64;
    private static final int DIGIT_BITS = 11;
    private static final int MAX_DIGITS = (64 + DIGIT_BITS - 1) / DIGIT_BITS;

    private long[] packed = new long[0];
    private long[] spare = new long[0];
    private int[] positions = new int[0];
    private int[] merging = new int[0];
    private int[] counts;

    /** A sorter with no arrays yet. */
    public TimeOrder() {
    }

    /**
     * The positions {@code 0..n-1} of the records in read order, record {@code i} being
     * ({@code timestamps[i]}, {@code writers[i]}, {@code sequences[i]}): the first {@code n} entries
     * of the array returned, which this instance owns and overwrites on its next call.
     */
    public int[] order(long[] timestamps, String[] writers, long[] sequences, int n) {
        if (positions.length < n) {
            positions = new int[n];
        }
        int[] out = positions;
        if (n < INSERTION_BELOW) {
            for (int i = 0; i < n; i++) {
                out[i] = i;
            }
            sortGroup(timestamps, writers, sequences, 0, n);
            return out;
        }
        long first = timestamps[0];
        long min = first;
        long max = first;
        long varying = 0;
        for (int i = 0; i < n; i++) {
            long t = timestamps[i];
            min = Math.min(min, t);
            max = Math.max(max, t);
            varying |= t ^ first;
        }
        int shared = varying == 0 ? 0 : Long.numberOfTrailingZeros(varying);
        int positionBits = 64 - Long.numberOfLeadingZeros(n - 1L);
        // max - min is the true range read as unsigned, even when it overflows a long.
        int offsetBits = 64 - Long.numberOfLeadingZeros((max - min) >>> shared);
        int dropped = Math.max(0, offsetBits + positionBits - 64);
        int shift = shared + dropped;
        int keyBits = offsetBits - dropped;
        if (packed.length < n) {
            packed = new long[n];
            spare = new long[n];
        }
        long[] from = packed;
        for (int i = 0; i < n; i++) {
            from[i] = (timestamps[i] - min) >>> shift << positionBits | i;
        }
        from = radixSort(from, spare, n, positionBits, keyBits);
        long positionMask = (1L << positionBits) - 1; // 64 bits of position never happen: n is an int
        for (int i = 0; i < n; i++) {
            out[i] = (int) (from[i] & positionMask);
        }
        for (int i = 0; i < n; ) {
            long key = from[i] >>> positionBits;
            int j = i + 1;
            while (j < n && from[j] >>> positionBits == key) {
                j++;
            }
            if (j - i > 1) {
                sortGroup(timestamps, writers, sequences, i, j);
            }
            i = j;
        }
        return out;
    }

    /**
     * Sorts {@code values[0..n)} by their bits {@code [low, low + bits)}, stably, into one of the two
     * arrays; returns which.
     */
    private long[] radixSort(long[] values, long[] other, int n, int low, int bits) {
        if (bits == 0) {
            return values;
        }
        int digits = (bits + DIGIT_BITS - 1) / DIGIT_BITS;
        int width = (bits + digits - 1) / digits;
        int radix = 1 << width;
        int mask = radix - 1;
        if (counts == null) {
            counts = new int[MAX_DIGITS << DIGIT_BITS];
        }
        int[] c = counts;
        Arrays.fill(c, 0, digits * radix, 0);
        for (int i = 0; i < n; i++) {
            long v = values[i] >>> low;
            for (int d = 0; d < digits; d++) {
                c[d * radix + ((int) (v >>> d * width) & mask)]++;
            }
        }
        long[] src = values;
        long[] dst = other;
        for (int d = 0; d < digits; d++) {
            int base = d * radix;
            int at = low + d * width;
            if (c[base + ((int) (src[0] >>> at) & mask)] == n) {
                continue; // every key has this digit
            }
            int sum = 0;
            for (int b = base; b < base + radix; b++) {
                int count = c[b];
                c[b] = sum;
                sum += count;
            }
            for (int i = 0; i < n; i++) {
                long v = src[i];
                dst[c[base + ((int) (v >>> at) & mask)]++] = v;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        return src;
    }

    /** Puts {@code positions[from..to)} in read order by comparing their records. */
    private void sortGroup(long[] timestamps, String[] writers, long[] sequences, int from, int to) {
        int[] p = positions;
        if (to - from <= INSERTION_BELOW) {
            for (int i = from + 1; i < to; i++) {
                int x = p[i];
                int j = i;
                while (j > from && compare(timestamps, writers, sequences, p[j - 1], x) > 0) {
                    p[j] = p[j - 1];
                    j--;
                }
                p[j] = x;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        sortGroup(timestamps, writers, sequences, from, mid);
        sortGroup(timestamps, writers, sequences, mid, to);
        if (compare(timestamps, writers, sequences, p[mid - 1], p[mid]) <= 0) {
            return;
        }
        if (merging.length < mid - from) {
            merging = new int[Math.max(mid - from, positions.length / 2)];
        }
        int[] left = merging;
        System.arraycopy(p, from, left, 0, mid - from);
        int a = 0;
        int aEnd = mid - from;
        int b = mid;
        int o = from;
        while (a < aEnd && b < to) {
            p[o++] = compare(timestamps, writers, sequences, left[a], p[b]) <= 0 ? left[a++] : p[b++];
        }
        System.arraycopy(left, a, p, o, aEnd - a);
    }

    private static int compare(long[] timestamps, String[] writers, long[] sequences, int a, int b) {
        return BlockDecoder.compare(timestamps[a], writers[a], sequences[a], timestamps[b],
                writers[b], sequences[b]);
    }
}

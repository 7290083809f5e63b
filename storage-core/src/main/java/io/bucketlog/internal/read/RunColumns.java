package io.bucketlog.internal.read;

/**
 * The per-record arrays of a {@link DecodedRun}: where each record's payload is, its timestamp,
 * writer, sequence, key and place in its payload.
 *
 * <p>Why kept: a slice of a merged bucket is up to ~750,000 records, and each run made these
 * arrays anew (grown by doubling from a footer's hint, then once more to rearrange them in read
 * order): about 90 MB for a slice of 750,000, and young pauses while it was live. A scan now
 * keeps a {@link Pool} that gives a run's arrays back when it is done with them (read to its end,
 * or replaced by their rearranged copy) and lends them to the next run.
 */
final class RunColumns {
    final int[] payloadOf;
    final long[] timestamps;
    final String[] writers;
    final long[] sequences;
    final String[] keys;
    final int[] positions;

    RunColumns(int capacity) {
        this(new int[capacity], new long[capacity], new String[capacity], new long[capacity],
                new String[capacity], new int[capacity]);
    }

    RunColumns(int[] payloadOf, long[] timestamps, String[] writers, long[] sequences,
               String[] keys, int[] positions) {
        this.payloadOf = payloadOf;
        this.timestamps = timestamps;
        this.writers = writers;
        this.sequences = sequences;
        this.keys = keys;
        this.positions = positions;
    }

    int capacity() {
        return timestamps.length;
    }

    /**
     * Arrays given back, lent out again. Ownership: a run gives back only arrays it no longer
     * refers to and never reads them again; the arrays lent out are the borrower's until it gives
     * them back. One pool belongs to one scan, which is single-threaded. What it keeps (at most
     * {@value #KEPT} sets, the larger ones) lives as long as the scan; entries past a run's size
     * are stale and never read.
     */
    static final class Pool {
        private static final int KEPT = 2;
        private final RunColumns[] kept = new RunColumns[KEPT];

        /** Arrays of at least {@code capacity} records, kept or new. */
        RunColumns take(int capacity) {
            return take(capacity, capacity);
        }

        /**
         * The smallest kept arrays of at least {@code capacity} records, or new ones of {@code
         * orNew} records if none is kept.
         */
        RunColumns take(int capacity, int orNew) {
            int best = -1;
            for (int i = 0; i < KEPT; i++) {
                RunColumns c = kept[i];
                if (c != null && c.capacity() >= capacity
                        && (best < 0 || c.capacity() < kept[best].capacity())) {
                    best = i;
                }
            }
            if (best < 0) {
                return new RunColumns(orNew);
            }
            RunColumns c = kept[best];
            kept[best] = null;
            return c;
        }

        /** Keeps arrays that their run no longer refers to, in place of the smallest kept. */
        void give(RunColumns c) {
            int smallest = 0;
            for (int i = 0; i < KEPT; i++) {
                if (kept[i] == null) {
                    kept[i] = c;
                    return;
                }
                if (kept[i].capacity() < kept[smallest].capacity()) {
                    smallest = i;
                }
            }
            if (kept[smallest].capacity() < c.capacity()) {
                kept[smallest] = c;
            }
        }
    }
}

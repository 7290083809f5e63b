package io.bucketlog.internal.read;

import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.internal.format.BlockDecoder;
import io.bucketlog.internal.format.CorruptDataException;
import java.util.Arrays;

/**
 * The records of one unit of a read (a block, or the candidate blocks of a time slice), held as
 * their blocks' decompressed payloads and, per record, its timestamp, id and place in its payload:
 * put in read order by those alone ({@link TimeOrder}) and turned into an {@link Event} only when
 * {@link #take() taken}.
 *
 * <p>Why: a slice of a merged bucket is up to ~64 MiB of records, read and sorted before its
 * first event is returned. Held as events (each an event, its id, body and attribute map) it
 * was several objects per record that lived for the whole slice, and the young collections that
 * copied them from survivor space to survivor space took about 40% of a scan of a merged store
 * (PERFORMANCE.md). Here a slice is a few arrays and one byte array per block, and each event is
 * made, returned and dropped while it is still young.
 *
 * <p>Records are kept as added (stored order) until {@link #sort}; {@link #reverse} then turns
 * the read order round. Each record's key comes from the decoder with it (the decoder checked
 * it), so building the event does not go back to the block's dictionary. Not thread-safe.
 */
final class DecodedRun implements BlockDecoder.RecordSink {
    private BlockDecoder.Payload[] payloads = new BlockDecoder.Payload[1];
    private int payloadCount;
    private int[] payloadOf;
    private long[] timestamps;
    private String[] writers;
    private long[] sequences;
    private String[] keys;
    private int[] positions;
    private int size;
    private int next;
    /** Records before this one have been read ahead ({@link #readAhead()}). */
    private int readAheadTo;
    /** Written so that the reads ahead are kept. */
    private int readAheadSum;
    private static final int READ_AHEAD = 32;
    /** Records made room for before any is decoded (about 2 MiB of arrays). */
    private static final int MAX_PRESIZE = 1 << 16;

    private final RunColumns.Pool pool;

    /**
     * @param capacity the records expected (the blocks' counts in the footer), a hint: a footer
     *     is not trusted for a size to allocate, so at most {@link #MAX_PRESIZE} are made room
     *     for at once and the arrays grow as records are really decoded
     * @param pool where the arrays come from and go back to ({@link RunColumns.Pool})
     */
    DecodedRun(int capacity, RunColumns.Pool pool) {
        this.pool = pool;
        use(pool.take(Math.max(1, Math.min(capacity, MAX_PRESIZE))));
    }

    private void use(RunColumns c) {
        payloadOf = c.payloadOf;
        timestamps = c.timestamps;
        writers = c.writers;
        sequences = c.sequences;
        keys = c.keys;
        positions = c.positions;
    }

    private RunColumns columns() {
        return new RunColumns(payloadOf, timestamps, writers, sequences, keys, positions);
    }

    /**
     * Gives the arrays back to the pool once every record has been taken (or none is wanted);
     * this run is not used again.
     */
    void release() {
        pool.give(columns());
        payloadOf = null;
        timestamps = null;
        writers = null;
        sequences = null;
        keys = null;
        positions = null;
        payloads = null;
        size = 0;
        next = 0;
    }

    /**
     * Adds the records of a block's payload that {@link BlockDecoder.Payload#records} keeps.
     *
     * @return whether they are in forward order ({@link BlockDecoder.Payload#records})
     * @throws CorruptDataException if the block does not decode; nothing of it is then added
     */
    boolean add(BlockDecoder.Payload payload, String key, long from, long to) {
        int mark = size;
        if (payloadCount == payloads.length) {
            payloads = Arrays.copyOf(payloads, payloadCount * 2);
        }
        try {
            boolean ordered = payload.records(key, from, to, this);
            if (size > mark) {
                payloads[payloadCount++] = payload;
            }
            return ordered;
        } catch (CorruptDataException e) {
            Arrays.fill(writers, mark, size, null);
            Arrays.fill(keys, mark, size, null);
            size = mark;
            throw e;
        }
    }

    @Override
    public void record(long timestampNanos, String writerId, long sequence, String key, int at) {
        if (size == timestamps.length) {
            grow();
        }
        payloadOf[size] = payloadCount;
        timestamps[size] = timestampNanos;
        writers[size] = writerId;
        sequences[size] = sequence;
        keys[size] = key;
        positions[size] = at;
        size++;
    }

    /**
     * Moves the records into larger arrays, kept ones if the pool has any (a slice a little larger
     * than the last) or new ones of twice the room, and gives the old ones back.
     */
    private void grow() {
        RunColumns old = columns();
        RunColumns c = pool.take(size + 1, size * 2);
        System.arraycopy(payloadOf, 0, c.payloadOf, 0, size);
        System.arraycopy(timestamps, 0, c.timestamps, 0, size);
        System.arraycopy(writers, 0, c.writers, 0, size);
        System.arraycopy(sequences, 0, c.sequences, 0, size);
        System.arraycopy(keys, 0, c.keys, 0, size);
        System.arraycopy(positions, 0, c.positions, 0, size);
        use(c);
        pool.give(old);
    }

    int size() {
        return size;
    }

    /** Whether, in the order added, record {@code i} follows record {@code i - 1} in read order. */
    boolean followsPrevious(int i) {
        return compare(i - 1, i) < 0;
    }

    /**
     * Puts the records in forward read order, (timestamp, writer, sequence). The arrays are
     * rearranged into that order, so that taking the events walks them front to back instead of
     * jumping through an index (each jump a cache miss in every array).
     *
     * @param order the scan's sorter, whose scratch arrays are reused slice after slice
     */
    void sort(TimeOrder order) {
        for (int i = 1; i < size; i++) {
            if (!followsPrevious(i)) { // a writer's block is mostly in order already: then no sort
                rearrange(order.order(timestamps, writers, sequences, size));
                return;
            }
        }
    }

    /** Turns the read order round (the reverse of a total order is the backward order). */
    void reverse() {
        for (int a = 0, b = size - 1; a < b; a++, b--) {
            swap(payloadOf, a, b);
            swap(timestamps, a, b);
            swap(writers, a, b);
            swap(sequences, a, b);
            swap(keys, a, b);
            swap(positions, a, b);
        }
    }

    private static void swap(int[] x, int a, int b) {
        int t = x[a];
        x[a] = x[b];
        x[b] = t;
    }

    private static void swap(long[] x, int a, int b) {
        long t = x[a];
        x[a] = x[b];
        x[b] = t;
    }

    private static void swap(String[] x, int a, int b) {
        String t = x[a];
        x[a] = x[b];
        x[b] = t;
    }

    /** Gathers the records in {@code order} into arrays from the pool and gives the old ones back. */
    private void rearrange(int[] order) {
        RunColumns old = columns();
        RunColumns c = pool.take(size);
        int[] p = c.payloadOf;
        long[] t = c.timestamps;
        String[] w = c.writers;
        long[] q = c.sequences;
        String[] k = c.keys;
        int[] at = c.positions;
        for (int r = 0; r < size; r++) {
            int i = order[r];
            p[r] = payloadOf[i];
            t[r] = timestamps[i];
            w[r] = writers[i];
            q[r] = sequences[i];
            k[r] = keys[i];
            at[r] = positions[i];
        }
        use(c);
        pool.give(old);
    }

    boolean hasNext() {
        return next < size;
    }

    /** The timestamp of the next record. */
    long timestamp() {
        return timestamps[next];
    }

    /** Compares the next records of two runs in forward order. */
    int compareNext(DecodedRun other) {
        int a = next;
        int b = other.next;
        return BlockDecoder.compare(timestamps[a], writers[a], sequences[a], other.timestamps[b],
                other.writers[b], other.sequences[b]);
    }

    /** Builds and returns the next record's event. */
    Event take() {
        if (next >= readAheadTo && payloadCount > 1) { // one block's records lie together
            readAhead();
        }
        int i = next++;
        return payloads[payloadOf[i]].event(positions[i], timestamps[i],
                new EventId(writers[i], sequences[i]), keys[i]);
    }

    /**
     * Reads the first byte of each of the next {@value #READ_AHEAD} records before building any of
     * them. In a sorted slice consecutive records lie in different blocks far apart, and building
     * an event starts with a cache miss on its record; made one after the other, each event waits
     * for its own miss, while these independent reads wait for theirs together.
     */
    private void readAhead() {
        int end = Math.min(size, next + READ_AHEAD);
        int sum = 0;
        for (int i = next; i < end; i++) {
            sum += payloads[payloadOf[i]].byteAt(positions[i]);
        }
        readAheadSum += sum; // kept, so that the reads are not optimised away
        readAheadTo = end;
    }

    private int compare(int a, int b) {
        return BlockDecoder.compare(timestamps[a], writers[a], sequences[a], timestamps[b],
                writers[b], sequences[b]);
    }
}

package io.bucketlog.internal.read;

import io.bucketlog.internal.format.Frame;
import java.util.Arrays;

/**
 * The candidate frames one pass of {@link FrameScanner}'s search waits on: each was met at its
 * offset with a plausible header, gets the pass's CRC state when the pass reaches its body, and is
 * checked when the pass reaches its end ({@link RangeCrc}).
 *
 * <p>Candidates are met in offset order and leave from the front once checked, so they live in a
 * ring of primitive arrays indexed by a running number (about 32 bytes each, grown as needed, at
 * most {@value #MAX} of them: 16 MiB); a binary heap of those numbers orders them by end. A pass
 * that meets more than {@value #MAX} candidates at once keeps the earliest and refuses the rest
 * ({@link #isFull}); the search then runs again from the first refused one, so every candidate is
 * checked, and a pass repeats only after {@value #MAX} candidates were found false.
 */
final class FrameCandidates {
    static final int MAX = 1 << 19;

    private long[] offset = new long[1024];
    private long[] end = new long[1024];
    private int[] expected = new int[1024];
    private int[] startState = new int[1024];
    private boolean[] checked = new boolean[1024];
    /** Running numbers: [head, tail) are held, [started, tail) still wait for their start state. */
    private long head;
    private long tail;
    private long started;
    private long[] byEnd = new long[1024];
    private int heapSize;

    boolean isEmpty() {
        return head == tail;
    }

    boolean isFull() {
        return tail - head == MAX;
    }

    /** Adds a candidate met at {@code at}, after every one held (offsets only grow). */
    void add(long at, long frameEnd, int crc) {
        if (tail - head == offset.length) {
            grow();
        }
        int s = slot(tail);
        offset[s] = at;
        end[s] = frameEnd;
        expected[s] = crc;
        checked[s] = false;
        push(tail++);
    }

    /** Gives {@code state} to the candidates whose body starts at {@code pos}. */
    void bodiesStartAt(long pos, int state) {
        while (started < tail && offset[slot(started)] + Frame.HEADER_BYTES == pos) {
            startState[slot(started++)] = state;
        }
    }

    /**
     * Checks the candidates ending at {@code pos}, where the pass's state is {@code state}; returns
     * the first offset among them whose CRC holds, or -1.
     */
    long checkEndingAt(long pos, int state) {
        long best = -1;
        while (heapSize > 0 && end[slot(byEnd[0])] == pos) {
            int s = slot(pop());
            checked[s] = true;
            if ((best < 0 || offset[s] < best) && RangeCrc.crc(startState[s], state,
                    end[s] - offset[s] - Frame.HEADER_BYTES) == expected[s]) {
                best = offset[s];
            }
        }
        while (head < tail && checked[slot(head)]) {
            head++;
        }
        return best;
    }

    /** The offset of the first candidate not checked yet, or {@link Long#MAX_VALUE}. */
    long firstUnchecked() {
        return head == tail ? Long.MAX_VALUE : offset[slot(head)];
    }

    private int slot(long n) {
        return (int) (n & (offset.length - 1));
    }

    private void grow() {
        int size = offset.length * 2;
        long[] o = new long[size];
        long[] e = new long[size];
        int[] x = new int[size];
        int[] st = new int[size];
        boolean[] c = new boolean[size];
        for (long n = head; n < tail; n++) {
            int from = slot(n);
            int to = (int) (n & (size - 1));
            o[to] = offset[from];
            e[to] = end[from];
            x[to] = expected[from];
            st[to] = startState[from];
            c[to] = checked[from];
        }
        offset = o;
        end = e;
        expected = x;
        startState = st;
        checked = c;
        byEnd = Arrays.copyOf(byEnd, size);
    }

    private void push(long n) {
        int i = heapSize++;
        long key = end[slot(n)];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (end[slot(byEnd[parent])] <= key) {
                break;
            }
            byEnd[i] = byEnd[parent];
            i = parent;
        }
        byEnd[i] = n;
    }

    private long pop() {
        long top = byEnd[0];
        long last = byEnd[--heapSize];
        long key = end[slot(last)];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && end[slot(byEnd[child + 1])] < end[slot(byEnd[child])]) {
                child++;
            }
            if (end[slot(byEnd[child])] >= key) {
                break;
            }
            byEnd[i] = byEnd[child];
            i = child;
        }
        byEnd[i] = last;
        return top;
    }
}

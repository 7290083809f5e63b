package io.bucketlog.internal.format;

import java.util.Arrays;

/**
 * Assigns dense ids 0, 1, 2... to distinct strings, looked up by content from any
 * {@link CharSequence} (a reused {@code StringBuilder} included) so that a repeated string costs no
 * allocation. Used for the per-block dictionary and the per-bucket key table. Not thread-safe.
 */
public final class InternTable {
    private String[] strings = new String[64];
    /**
     * Open addressing: (hash &lt;&lt; 32 | id + 1), 0 = empty. The hash sits beside the id so
     * that a probe compares it without reading another array: in a table of 10 000 keys every
     * lookup's entry is cold, and each array read is a cache miss.
     */
    private long[] slots = new long[128];
    private int[] hashes = new int[64];
    private int count;

    public int size() {
        return count;
    }

    public String get(int id) {
        return strings[id];
    }

    public void clear() {
        if (count > 0) {
            Arrays.fill(slots, 0L);
            Arrays.fill(strings, 0, count, null);
            count = 0;
        }
    }

    /** Forgets the strings with ids {@code >= newSize}, the most recently added ones. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > count) {
            throw new IllegalArgumentException("truncate to " + newSize + " of " + count);
        }
        if (newSize == count) {
            return;
        }
        int mask = slots.length - 1;
        Arrays.fill(strings, newSize, count, null);
        count = newSize;
        // Removing entries from an open-addressing table breaks probe chains: rebuild them.
        Arrays.fill(slots, 0L);
        for (int id = 0; id < count; id++) {
            place(hashes[id], id, mask);
        }
    }

    private void place(int h, int id, int mask) {
        int i = h & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = slot(h, id);
    }

    private static long slot(int h, int id) {
        return (long) h << 32 | (id + 1);
    }

    /** The id of {@code s}, or -1. */
    public int find(CharSequence s) {
        int h = hash(s);
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            int id = (int) slot - 1;
            if ((int) (slot >>> 32) == h && contentEquals(strings[id], s)) {
                return id;
            }
        }
    }

    /** The id of {@code s}, adding it if new. */
    public int intern(CharSequence s) {
        int h = hash(s);
        int mask = slots.length - 1;
        int i = h & mask;
        for (; ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == 0) {
                break;
            }
            int id = (int) slot - 1;
            if ((int) (slot >>> 32) == h && contentEquals(strings[id], s)) {
                return id;
            }
        }
        int id = count++;
        if (id == strings.length) {
            strings = Arrays.copyOf(strings, id * 2);
            hashes = Arrays.copyOf(hashes, id * 2);
        }
        strings[id] = s.toString();
        hashes[id] = h;
        slots[i] = slot(h, id);
        if (count * 2 > slots.length) {
            rehash();
        }
        return id;
    }

    private void rehash() {
        slots = new long[slots.length * 2];
        int mask = slots.length - 1;
        for (int id = 0; id < count; id++) {
            place(hashes[id], id, mask);
        }
    }

    private static int hash(CharSequence s) {
        if (s instanceof String str) {
            int h = str.hashCode(); // the same polynomial, cached in the string
            return h ^ (h >>> 16);
        }
        int h = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h ^ (h >>> 16);
    }

    private static boolean contentEquals(String a, CharSequence b) {
        return a.contentEquals(b);
    }
}

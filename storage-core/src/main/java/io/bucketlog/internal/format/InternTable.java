package io.bucketlog.internal.format;

import java.util.Arrays;

/**
 * Assigns dense ids 0, 1, 2... to distinct strings, looked up by content from any
 * {@link CharSequence} (a reused {@code StringBuilder} included) so that a repeated string costs no
 * allocation. Used for the per-block dictionary and the per-bucket key table. Not thread-safe.
 *
 * <p>A string added as a {@code String} is kept as it is; any other sequence of at most
 * {@value #KEPT_COPY_CHARS} chars is copied into a buffer of its id that the table keeps from one
 * use to the next ({@link #copies}), so that a block's dictionary of values the ring slots copied
 * (a user id that changes event after event, {@code write/SlotReferences}) costs no allocation
 * once warm: a {@code String} per new entry was about 55 B per event on the bucket writer. A
 * longer one becomes a {@code String}, and {@link #clear} keeps the buffers of the first
 * {@value #KEPT_COPIES} ids only, so a table that was once large (a block of 16 MiB of unique
 * values) does not hold their memory for the life of its bucket. {@link #get} is valid until the
 * table is cleared.
 */
public final class InternTable {
    /**
     * Longs per id in {@link #shortCopies}: the length, then {@value #SHORT_CHARS} chars of one
     * byte each.
     */
    private static final int SHORT_STRIDE = 4;
    /** The longest string a short copy holds. */
    private static final int SHORT_CHARS = (SHORT_STRIDE - 1) * 8;
    private static final long NO_SHORT_COPY = -1;
    /** A copy up to this long is made in a kept buffer; a longer one is a {@code String}. */
    private static final int KEPT_COPY_CHARS = 256;
    /** The ids whose copy buffers {@link #clear} keeps. */
    private static final int KEPT_COPIES = 1024;
    /** Per id: the string as given if a {@code String}, else its copy. */
    private CharSequence[] strings = new CharSequence[64];
    /** Per id: the buffer its copies are made in, kept when the table is cleared. */
    private StringBuilder[] copies = new StringBuilder[64];
    /**
     * Open addressing: (hash &lt;&lt; 32 | id + 1), 0 = empty. The hash sits beside the id so
     * that a probe compares it without reading another array: in a table of 10 000 keys every
     * lookup's entry is cold, and each array read is a cache miss.
     */
    private long[] slots = new long[128];
    private int[] hashes = new int[64];
    /**
     * Per id, when the table keeps short copies: a string of at most {@value #SHORT_CHARS} chars,
     * all below 256, as its length and one byte a char, else {@link #NO_SHORT_COPY}. A probe whose
     * hash matches compares against it, one cache line, where comparing with the {@code String}
     * reads the strings array, the string and its bytes: in the footer's table of the timeline
     * harness's 100 000 keys each is a cache miss, and together they were a fifth of
     * {@code TimelineEncodeBenchmark}'s samples (docs/PERFORMANCE.md). Null in a table without
     * short copies (a block's dictionary, which is small and hot).
     */
    private long[] shortCopies;
    private int count;

    /** A table that compares by the strings themselves. */
    public InternTable() {
        this(false);
    }

    /**
     * @param shortCopies whether to keep a copy of each short string beside the hashes, for a
     *        large table whose strings are cold in the cache
     */
    public InternTable(boolean shortCopies) {
        if (shortCopies) {
            this.shortCopies = new long[64 * SHORT_STRIDE];
        }
    }

    public int size() {
        return count;
    }

    /** String {@code id}, as added or a copy of it; valid until {@link #clear} or {@link #truncate}. */
    public CharSequence get(int id) {
        return strings[id];
    }

    public void clear() {
        if (count > 0) {
            Arrays.fill(slots, 0L);
            Arrays.fill(strings, 0, count, null);
            if (count > KEPT_COPIES) {
                Arrays.fill(copies, KEPT_COPIES, count, null);
            }
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
        return find(s, hash(s));
    }

    /** The id of {@code s}, whose {@link #hash} is {@code h}, or -1. */
    public int find(CharSequence s, int h) {
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            int id = (int) slot - 1;
            if ((int) (slot >>> 32) == h && holds(id, s)) {
                return id;
            }
        }
    }

    /** The id of {@code s}, adding it if new. */
    public int intern(CharSequence s) {
        return intern(s, hash(s));
    }

    /**
     * The id of {@code s}, whose {@link #hash} is {@code h} (computed once by a caller that looks
     * the same string up in several tables), adding it if new.
     */
    public int intern(CharSequence s, int h) {
        int mask = slots.length - 1;
        int i = h & mask;
        for (; ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == 0) {
                break;
            }
            int id = (int) slot - 1;
            if ((int) (slot >>> 32) == h && holds(id, s)) {
                return id;
            }
        }
        int id = count++;
        if (id == strings.length) {
            strings = Arrays.copyOf(strings, id * 2);
            copies = Arrays.copyOf(copies, id * 2);
            hashes = Arrays.copyOf(hashes, id * 2);
            if (shortCopies != null) {
                shortCopies = Arrays.copyOf(shortCopies, id * 2 * SHORT_STRIDE);
            }
        }
        strings[id] = s instanceof String str ? str : copy(id, s);
        hashes[id] = h;
        if (shortCopies != null) {
            copyShort(id, s);
        }
        slots[i] = slot(h, id);
        if (count * 2 > slots.length) {
            rehash();
        }
        return id;
    }

    private CharSequence copy(int id, CharSequence s) {
        if (s.length() > KEPT_COPY_CHARS) {
            return s.toString();
        }
        StringBuilder b = copies[id];
        if (b == null) {
            b = new StringBuilder(Math.max(16, s.length()));
            copies[id] = b;
        }
        b.setLength(0);
        b.append(s);
        return b;
    }

    private void rehash() {
        slots = new long[slots.length * 2];
        int mask = slots.length - 1;
        for (int id = 0; id < count; id++) {
            place(hashes[id], id, mask);
        }
    }

    /**
     * The hash {@link #find} and {@link #intern} take: the same for a {@code String} and for any
     * other sequence of its chars.
     */
    public static int hash(CharSequence s) {
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

    /** Whether string {@code id} is {@code s}. */
    private boolean holds(int id, CharSequence s) {
        if (shortCopies == null) {
            return sameChars(strings[id], s);
        }
        int at = id * SHORT_STRIDE;
        long length = shortCopies[at];
        if (length == NO_SHORT_COPY) {
            return sameChars(strings[id], s);
        }
        int n = s.length();
        if (n != length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != (char) (shortCopies[at + 1 + (i >>> 3)] >>> ((i & 7) << 3) & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameChars(CharSequence kept, CharSequence s) {
        if (kept instanceof String str) {
            return str.contentEquals(s);
        }
        if (s instanceof String str) {
            return str.contentEquals(kept);
        }
        int n = kept.length();
        if (n != s.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (kept.charAt(i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void copyShort(int id, CharSequence s) {
        int at = id * SHORT_STRIDE;
        int n = s.length();
        Arrays.fill(shortCopies, at, at + SHORT_STRIDE, 0L);
        shortCopies[at] = n;
        if (n > SHORT_CHARS) {
            shortCopies[at] = NO_SHORT_COPY;
            return;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                shortCopies[at] = NO_SHORT_COPY;
                return;
            }
            shortCopies[at + 1 + (i >>> 3)] |= (long) c << ((i & 7) << 3);
        }
    }
}

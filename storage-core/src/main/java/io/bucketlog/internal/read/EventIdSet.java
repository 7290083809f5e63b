package io.bucketlog.internal.read;

import io.bucketlog.EventId;
import java.util.HashMap;
import java.util.Map;

/**
 * A set of event ids in primitive arrays: a writer's id is numbered once, and each entry is that
 * number and the sequence, 12 bytes in a table kept at most half full, where a {@code
 * HashSet<EventId>} costs about 60 bytes an entry. The storage-order read remembers up to a
 * million ids per segment ({@link StorageOrderRead}).
 */
final class EventIdSet {
    private final Map<String, Integer> writers = new HashMap<>();
    /** Writer number plus one per slot; 0 marks an empty slot. */
    private int[] slotWriters = new int[1024];
    private long[] slotSequences = new long[1024];
    private int size;

    /** Adds the id; returns whether it was not there yet. */
    boolean add(EventId id) {
        if (2 * (size + 1) > slotWriters.length) {
            grow();
        }
        Integer w = writers.get(id.writerId());
        if (w == null) {
            w = writers.size() + 1;
            writers.put(id.writerId(), w);
        }
        return insert(w, id.sequence());
    }

    /** Whether the id was added. */
    boolean contains(EventId id) {
        Integer w = writers.get(id.writerId());
        if (w == null) {
            return false;
        }
        int mask = slotWriters.length - 1;
        for (int i = slot(w, id.sequence(), mask); slotWriters[i] != 0; i = (i + 1) & mask) {
            if (slotWriters[i] == w && slotSequences[i] == id.sequence()) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    private boolean insert(int w, long sequence) {
        int mask = slotWriters.length - 1;
        int i = slot(w, sequence, mask);
        while (slotWriters[i] != 0) {
            if (slotWriters[i] == w && slotSequences[i] == sequence) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slotWriters[i] = w;
        slotSequences[i] = sequence;
        size++;
        return true;
    }

    private void grow() {
        int[] oldWriters = slotWriters;
        long[] oldSequences = slotSequences;
        slotWriters = new int[oldWriters.length * 2];
        slotSequences = new long[oldWriters.length * 2];
        size = 0;
        for (int i = 0; i < oldWriters.length; i++) {
            if (oldWriters[i] != 0) {
                insert(oldWriters[i], oldSequences[i]);
            }
        }
    }

    private static int slot(int w, long sequence, int mask) {
        long h = (sequence + 0x9E3779B97F4A7C15L * w) * 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 31)) & mask;
    }
}

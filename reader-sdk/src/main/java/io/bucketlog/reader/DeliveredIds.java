package io.bucketlog.reader;

import io.bucketlog.EventId;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.CorruptDataException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * The {@link EventId}s a tail has delivered, by the index window of each event's timestamp and by
 * writer, each writer's sequences kept as runs {@code [first, last]}: the tail's one rule against
 * delivering an event twice, whichever bucket (a writer's, or a compactor's merge of it) the event
 * is read from, and in whatever order (a merged bucket is sorted by key, not by sequence).
 *
 * <p>Size: one run per stretch of a writer's consecutive sequences the tail delivered in one index
 * window. A writer that writes one stream, one window at a time, makes one run per index window;
 * its sequences split into several runs only where it interleaved other streams, other windows or
 * (for a tail of one key) other keys. So the set holds at most one run per event delivered in the
 * windows kept, and usually a few per writer; windows are dropped as the tail's floor passes them
 * ({@link #retain}).
 *
 * <p>Encoded in a tail cursor after its floor (see {@link TailPosition}): varint number of
 * windows; per window varlong start, varint number of writers; per writer its index in the
 * cursor's writer table, varint number of runs, then per run varlong gap from the previous run's
 * end (the first from 0) and varlong length minus one.
 */
final class DeliveredIds {
    /**
     * Most runs held (about 70 MiB), and in a decoded cursor, so that a forged one cannot fill the
     * memory. Beyond, the oldest window's runs are dropped: a merge of that window may then deliver
     * its events again.
     */
    static final int MAX_RUNS = 1 << 20;

    /** Window start → writer → run start → run end (inclusive). */
    private final TreeMap<Long, Map<String, TreeMap<Long, Long>>> windows = new TreeMap<>();
    private int runs;

    /** Whether the event of {@code id} in the index window starting at {@code window} is in. */
    boolean contains(long window, EventId id) {
        Map<String, TreeMap<Long, Long>> writers = windows.get(window);
        TreeMap<Long, Long> r = writers == null ? null : writers.get(id.writerId());
        if (r == null) {
            return false;
        }
        Map.Entry<Long, Long> below = r.floorEntry(id.sequence());
        return below != null && below.getValue() >= id.sequence();
    }

    /** Adds an event; false if it was in already. */
    boolean add(long window, EventId id) {
        TreeMap<Long, Long> r = windows.computeIfAbsent(window, w -> new HashMap<>())
                .computeIfAbsent(id.writerId(), w -> new TreeMap<>());
        long s = id.sequence();
        Map.Entry<Long, Long> below = r.floorEntry(s);
        if (below != null && below.getValue() >= s) {
            return false;
        }
        Long next = s == Long.MAX_VALUE ? null : r.get(s + 1);
        if (below != null && below.getValue() == s - 1) {
            if (next != null) { // s joins two runs
                r.remove(s + 1);
                runs--;
            }
            r.put(below.getKey(), next != null ? next : s);
        } else if (next != null) {
            r.remove(s + 1);
            r.put(s, next);
        } else {
            r.put(s, s);
            runs++;
            while (runs > MAX_RUNS && windows.size() > 1) {
                windows.pollFirstEntry().getValue().values().forEach(dropped -> runs -= dropped.size());
            }
        }
        return true;
    }


    /** Keeps only the windows {@code keep} accepts (by their start). */
    void retain(LongPredicate keep) {
        windows.entrySet().removeIf(w -> {
            if (keep.test(w.getKey())) {
                return false;
            }
            w.getValue().values().forEach(r -> runs -= r.size());
            return true;
        });
    }

    /** An independent copy (a cursor keeps what was delivered when it was taken). */
    DeliveredIds copy() {
        DeliveredIds c = new DeliveredIds();
        windows.forEach((w, writers) -> {
            Map<String, TreeMap<Long, Long>> copied = new HashMap<>();
            writers.forEach((writer, r) -> copied.put(writer, new TreeMap<>(r)));
            c.windows.put(w, copied);
        });
        c.runs = runs;
        return c;
    }

    /** Runs held: the measure of its size. */
    int runs() {
        return runs;
    }

    /** Every writer id it holds, for the cursor's writer table. */
    void writers(java.util.function.Consumer<String> out) {
        windows.values().forEach(ws -> ws.keySet().forEach(out));
    }

    void encode(ByteSink out, Map<String, Integer> writerIndex) {
        out.writeVarInt(windows.size());
        for (Map.Entry<Long, Map<String, TreeMap<Long, Long>>> w : windows.entrySet()) {
            out.writeVarLong(w.getKey());
            out.writeVarInt(w.getValue().size());
            for (Map.Entry<String, TreeMap<Long, Long>> writer : w.getValue().entrySet()) {
                out.writeVarInt(writerIndex.get(writer.getKey()));
                out.writeVarInt(writer.getValue().size());
                long end = -1;
                for (Map.Entry<Long, Long> run : writer.getValue().entrySet()) {
                    out.writeVarLong(run.getKey() - end - 1);
                    out.writeVarLong(run.getValue() - run.getKey());
                    end = run.getValue();
                }
            }
        }
    }

    static DeliveredIds decode(ByteSource in, List<String> writers) {
        DeliveredIds d = new DeliveredIds();
        int nWindows = in.readVarInt(in.remaining());
        long lastWindow = -1;
        for (int i = 0; i < nWindows; i++) {
            long window = in.readVarLong();
            if (window <= lastWindow) {
                throw new CorruptDataException("delivered events: windows out of order");
            }
            lastWindow = window;
            int nWriters = in.readVarInt(writers.size());
            Map<String, TreeMap<Long, Long>> byWriter = new HashMap<>();
            for (int j = 0; j < nWriters; j++) {
                String writer = writers.get(in.readVarInt(writers.size() - 1));
                int n = in.readVarInt(in.remaining());
                if (d.runs + n > MAX_RUNS) {
                    throw new CorruptDataException("delivered events: more than " + MAX_RUNS + " runs");
                }
                TreeMap<Long, Long> r = new TreeMap<>();
                long end = -1;
                for (int k = 0; k < n; k++) {
                    long gap = in.readVarLong();
                    long length = in.readVarLong();
                    long first = end + 1 + gap;
                    long last = first + length;
                    if (gap < 0 || length < 0 || first <= end || last < first) {
                        throw new CorruptDataException("delivered events: bad run");
                    }
                    r.put(first, last);
                    end = last;
                }
                if (byWriter.put(writer, r) != null) {
                    throw new CorruptDataException("delivered events: writer " + writer + " listed twice");
                }
                d.runs += n;
            }
            d.windows.put(window, byWriter);
        }
        return d;
    }
}

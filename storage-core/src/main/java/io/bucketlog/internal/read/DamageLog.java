package io.bucketlog.internal.read;

import io.bucketlog.CorruptionReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one place where damage is recorded, each location once: the first report of a (file,
 * offset) is kept and passed on; the same location found again (a tail polls the same damaged
 * file hundreds of times a second, a reader's queries meet it again and again) is only counted.
 * At most {@value #MAX_LOCATIONS} locations are kept: a new one pushes out the one first met, whose
 * reports are then only counted, so a store damaged everywhere costs bounded memory, its totals
 * stay exact, and a place never met before is always passed on (a long-lived reader's listener
 * hears of new damage however much it heard of before).
 *
 * <p>Thread-safe: one reader's queries may report into it concurrently.
 */
public final class DamageLog {
    static final int MAX_LOCATIONS = 1000;

    private record Location(String location, long offset) {
    }

    private static final class Entry {
        final CorruptionReport first;
        long repeats;

        Entry(CorruptionReport first) {
            this.first = first;
        }
    }

    private final Consumer<CorruptionReport> onFirst;
    private final Map<Location, Entry> seen = new LinkedHashMap<>();
    private long overflow;

    /** @param onFirst told of the first report of each location, on the reporting thread */
    public DamageLog(Consumer<CorruptionReport> onFirst) {
        this.onFirst = onFirst;
    }

    /** Records a report; returns whether it was the first of its location (and so passed on). */
    public boolean report(CorruptionReport r) {
        Location at = new Location(r.location(), r.offset());
        synchronized (this) {
            Entry e = seen.get(at);
            if (e != null) {
                e.repeats++;
                return false;
            }
            if (seen.size() >= MAX_LOCATIONS) {
                Map.Entry<Location, Entry> eldest = seen.entrySet().iterator().next();
                overflow += 1 + eldest.getValue().repeats;
                seen.remove(eldest.getKey());
            }
            seen.put(at, new Entry(r));
        }
        onFirst.accept(r);
        return true;
    }

    /** Whether nothing was reported. */
    public synchronized boolean isEmpty() {
        return seen.isEmpty() && overflow == 0;
    }

    /**
     * One report per kept location, in the order first met, its problem followed by "seen N more
     * times" when it was met again; and one line counting the reports of places no longer kept.
     */
    public synchronized List<CorruptionReport> reports() {
        List<CorruptionReport> out = new ArrayList<>(seen.size() + 1);
        for (Entry e : seen.values()) {
            out.add(e.repeats == 0 ? e.first : new CorruptionReport(e.first.location(), e.first.offset(),
                    e.first.problem() + " (seen " + e.repeats + " more "
                    + (e.repeats == 1 ? "time" : "times") + ")"));
        }
        if (overflow > 0) {
            CorruptionReport last = seen.values().stream().reduce((a, b) -> b).orElseThrow().first;
            out.add(new CorruptionReport(last.location(), -1, overflow + " more reports of damage at"
                    + " places met before these " + MAX_LOCATIONS));
        }
        return out;
    }
}

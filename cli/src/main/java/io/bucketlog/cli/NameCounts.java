package io.bucketlog.cli;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.QueryResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What {@code keys} and {@code fields} share: read the selected events, count names, and print
 * them most frequent first ({@code count name}, like {@code sort | uniq -c | sort -rn}).
 */
final class NameCounts {
    private NameCounts() {
    }

    /**
     * Counts what {@code names} hands out for each selected event and prints the table.
     *
     * @return the exit status: 1 when damaged data was skipped, else 0
     */
    static int run(StoreOption store, StreamFilter filter, TimeRange range, PrintWriter out,
                   PrintWriter err, BiConsumer<Event, Consumer<String>> names) {
        Map<String, Long> counts = new HashMap<>();
        List<CorruptionReport> damage;
        try (BucketlogReader reader = filter.openReader(store);
             QueryResult r = range.applyTo(filter.query(reader)).iterator()) {
            Consumer<String> count = name -> counts.merge(name, 1L, Long::sum);
            while (r.hasNext()) {
                names.accept(r.next(), count);
            }
            damage = r.corruptions();
        }
        List<Map.Entry<String, Long>> rows = new ArrayList<>(counts.entrySet());
        rows.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        int width = rows.isEmpty() ? 1 : Long.toString(rows.get(0).getValue()).length();
        for (Map.Entry<String, Long> row : rows) {
            String name = row.getKey().isEmpty() ? "\"\"" : SafeText.escape(row.getKey(), false);
            out.printf("%" + width + "d %s%n", row.getValue(), name);
        }
        out.flush();
        for (CorruptionReport c : damage) {
            err.println("bucketlog: skipped damaged data: " + c);
        }
        return damage.isEmpty() ? 0 : 1;
    }
}

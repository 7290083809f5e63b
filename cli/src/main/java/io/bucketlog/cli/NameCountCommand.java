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
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What {@code keys} and {@code fields} share: read the selected events, count the names each
 * one has, and print them most frequent first ({@code count name}, like
 * {@code sort | uniq -c | sort -rn}). Exit status 1 when damaged data was skipped.
 */
abstract class NameCountCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Mixin
    StreamFilter filter;

    @Mixin
    TimeRange range;

    @Spec
    CommandSpec spec;

    /** Hands each name of {@code e} to be counted. */
    abstract void names(Event e, Consumer<String> count);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Long> counts = new HashMap<>();
        List<CorruptionReport> damage;
        // Counts do not depend on the order events come in: storage order skips the merge and
        // sort that time order costs on compacted windows, and still gives each event once.
        try (BucketlogReader reader = filter.openReader(store);
             QueryResult r = range.applyTo(filter.query(reader)).storageOrder().iterator()) {
            Consumer<String> count = name -> counts.merge(name, 1L, Long::sum);
            while (r.hasNext()) {
                names(r.next(), count);
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
            spec.commandLine().getErr().println("bucketlog: skipped damaged data: " + c);
        }
        return damage.isEmpty() ? 0 : 1;
    }
}

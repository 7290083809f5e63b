package io.bucketlog.cli;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Store;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.EventFilters;
import io.bucketlog.reader.Query;
import io.bucketlog.Event;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The stream and filter options that {@code query} and {@code tail} share. */
final class StreamFilter {
    @Option(names = {"-s", "--stream"}, required = true, paramLabel = "STREAM", description = "The stream to read.")
    String stream;

    @Option(names = {"-k", "--key"}, paramLabel = "KEY", description = "Only events of this key (a user id, a logger...).")
    String key;

    @Option(names = "--level", paramLabel = "LEVEL", description = "Only log events at this level or above (TRACE, DEBUG, INFO, WARN, ERROR, FATAL).")
    String level;

    @Option(names = "--grep", paramLabel = "TEXT", description = "Only events whose message or body contains TEXT.")
    String grep;

    @Option(names = "--attr", paramLabel = "NAME=VALUE", description = "Only events with this attribute value (repeatable; for context values: ctx.userId=42).")
    List<String> attributes = new ArrayList<>();

    /** Opens the store's reader, checking first that it is a store and holds the stream. */
    BucketlogReader openReader(StoreOption store) {
        return openReader(store, r -> { });
    }

    /**
     * Opens the store's reader, checking first that it is a store and holds the stream.
     *
     * @param onDamage told of each damaged place the reader meets, the first time
     */
    BucketlogReader openReader(StoreOption store, Consumer<CorruptionReport> onDamage) {
        try (Store s = store.openExisting()) {
            store.requireStream(s, stream);
        }
        return BucketlogReader.builder().directories(store.directories()).onCorruption(onDamage)
                .build();
    }

    /** The filters as one predicate (always true when none is given). */
    Predicate<Event> predicate() {
        List<Predicate<Event>> all = new ArrayList<>();
        if (level != null) {
            try {
                all.add(EventFilters.minLevel(level.trim()));
            } catch (IllegalArgumentException e) {
                throw new CliException("--level must be TRACE, DEBUG, INFO, WARN, ERROR or FATAL, not '"
                        + level + "'");
            }
        }
        if (grep != null) {
            all.add(EventFilters.bodyContains(grep));
        }
        for (String a : attributes) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new CliException("--attr takes NAME=VALUE, not '" + a + "'");
            }
            all.add(EventFilters.attributeEquals(a.substring(0, eq), a.substring(eq + 1)));
        }
        return e -> all.stream().allMatch(p -> p.test(e));
    }

    /** The stream's query with the key and filters applied. */
    Query query(BucketlogReader reader) {
        Query q = reader.query(stream).filter(predicate());
        if (key != null) {
            q.key(key);
        }
        return q;
    }
}

package io.bucketlog.cli;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.LogAttributes;
import io.bucketlog.Store;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.EventFilters;
import io.bucketlog.reader.LogRecord;
import io.bucketlog.reader.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Option;

/** The stream and filter options that the commands reading events share; all filters combine. */
final class StreamFilter {
    @Option(names = {"-s", "--stream"}, required = true, paramLabel = "STREAM", description = "The stream to read.")
    String stream;

    @Option(names = {"-k", "--key"}, paramLabel = "KEY", description = "Only events of this key (a user id, a logger...).")
    String key;

    @Option(names = "--level", paramLabel = "LEVEL", description = "Only log events at this level or above (TRACE, DEBUG, INFO, WARN, ERROR, FATAL).")
    String level;

    @Option(names = "--grep", paramLabel = "REGEX",
            description = "Only events whose message (or body) matches this regular expression somewhere.")
    String grep;

    @Option(names = {"-i", "--ignore-case"}, description = "--grep ignores case.")
    boolean ignoreCase;

    @Option(names = "--attr", paramLabel = "NAME=VALUE",
            description = "Only events whose attribute NAME equals VALUE; NAME!=VALUE: differs (or is"
                    + " absent); NAME~REGEX: matches; NAME!~REGEX: does not. Repeatable; for context"
                    + " values: ctx.userId=42.")
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
        // A command ends within seconds: no MBean, and no MBean server to start for it.
        return BucketlogReader.builder().locations(store.locations().toArray(String[]::new)).onCorruption(onDamage)
                .jmx(false).build();
    }

    /** The filters as one predicate (always true when none is given). */
    Predicate<Event> predicate() {
        List<Predicate<Event>> all = new ArrayList<>();
        if (level != null) {
            try {
                all.add(EventFilters.minLevel(level.trim()));
            } catch (IllegalArgumentException e) {
                throw new CliException("--level must be " + LogAttributes.LEVEL_CHOICES + ", not '"
                        + level + "'");
            }
        }
        if (grep != null) {
            Pattern p = regex("--grep", grep, ignoreCase);
            all.add(e -> {
                LogRecord r = LogRecord.of(e);
                return p.matcher(r.level() != null ? r.message() : e.bodyText()).find();
            });
        } else if (ignoreCase) {
            throw new CliException("-i makes --grep ignore case; give --grep too");
        }
        for (String a : attributes) {
            all.add(attribute(a));
        }
        return e -> {
            for (Predicate<Event> p : all) {
                if (!p.test(e)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** One {@code --attr}: NAME=VALUE, NAME!=VALUE, NAME~REGEX or NAME!~REGEX. */
    private static Predicate<Event> attribute(String a) {
        int op = 0;
        while (op < a.length() && "=!~".indexOf(a.charAt(op)) < 0) {
            op++;
        }
        boolean negated = op < a.length() && a.charAt(op) == '!';
        int sign = negated ? op + 1 : op;
        if (op == 0 || sign >= a.length() || "=~".indexOf(a.charAt(sign)) < 0) {
            throw new CliException("--attr takes NAME=VALUE, NAME!=VALUE, NAME~REGEX or NAME!~REGEX, not '"
                    + a + "'");
        }
        String name = a.substring(0, op);
        String value = a.substring(sign + 1);
        Predicate<Event> p;
        if (a.charAt(sign) == '=') {
            p = e -> value.equals(e.attribute(name));
        } else {
            Pattern re = regex("--attr " + name + "~", value, false);
            p = e -> {
                String v = e.attribute(name);
                return v != null && re.matcher(v).find();
            };
        }
        return negated ? p.negate() : p;
    }

    private static Pattern regex(String option, String text, boolean ignoreCase) {
        try {
            return Pattern.compile(text, ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        } catch (PatternSyntaxException e) {
            throw new CliException(option + " is not a regular expression: " + e.getDescription()
                    + " near index " + e.getIndex() + " of '" + text + "'");
        }
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

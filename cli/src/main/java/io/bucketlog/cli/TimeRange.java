package io.bucketlog.cli;

import io.bucketlog.reader.Query;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Option;

/** {@code --since} and {@code --until}, for the commands that read a time range. */
final class TimeRange {
    @Option(names = "--since", paramLabel = "TIME",
            description = "From this time (inclusive): ISO-8601, now, today, yesterday, or an age such as 10m, 2h, 3d.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Up to this time (exclusive); same forms as --since.")
    String until;

    private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss z");

    /** A time as a person reads it in an error: to the second, in their zone. */
    private static String human(long nanos, ZoneId zone) {
        return HUMAN.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L)).atZone(zone));
    }

    /** Narrows the query to the range; an empty or inverted range is an error that shows both times. */
    Query applyTo(Query q) {
        Clock clock = Clock.systemUTC();
        ZoneId zone = ZoneId.systemDefault();
        Long from = since == null ? null : TimeSpec.parse(since, clock, zone);
        Long to = until == null ? null : TimeSpec.parse(until, clock, zone);
        if (from != null && to != null && from >= to) {
            throw new CliException("--since " + since + " (" + human(from, zone) + ") is not before --until "
                    + until + " (" + human(to, zone) + ")");
        }
        if (from != null) {
            q.fromNanos(from);
        }
        if (to != null) {
            q.toNanos(to);
        }
        return q;
    }
}

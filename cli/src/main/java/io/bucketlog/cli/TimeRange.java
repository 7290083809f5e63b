package io.bucketlog.cli;

import io.bucketlog.reader.Query;
import java.time.Clock;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/** {@code --since} and {@code --until}, for the commands that read a time range. */
final class TimeRange {
    @Option(names = "--since", paramLabel = "TIME",
            description = "From this time (inclusive): ISO-8601, now, today, yesterday, or an age such as 10m, 2h, 3d.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Up to this time (exclusive); same forms as --since.")
    String until;

    /** Narrows the query to the range; an empty or inverted range is an error that shows both times. */
    Query applyTo(Query q) {
        Clock clock = Clock.systemUTC();
        ZoneId zone = ZoneId.systemDefault();
        Long from = since == null ? null : TimeSpec.parse(since, clock, zone);
        Long to = until == null ? null : TimeSpec.parse(until, clock, zone);
        if (from != null && to != null && from >= to) {
            OutputStyle local = new OutputStyle(zone, false);
            throw new CliException("--since " + since + " (" + local.time(from) + ") is not before --until "
                    + until + " (" + local.time(to) + "), times in " + zone.getId());
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

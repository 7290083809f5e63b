package io.bucketlog.cli;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.Query;
import io.bucketlog.reader.QueryResult;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bucketlog query}: events of a stream, filtered, oldest first (or newest with --reverse). */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the events of a stream in time order, filtered.",
            "Exit status: 0 when all went well, 1 when damaged data was skipped (reported on"
                + " standard error), 2 for bad arguments."})
final class QueryCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Mixin
    StreamFilter filter;

    @Option(names = "--since", paramLabel = "TIME",
            description = "From this time (inclusive): ISO-8601, now, today, yesterday, or an age such as 10m, 2h, 3d.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Up to this time (exclusive); same forms as --since.")
    String until;

    @Option(names = "--limit", paramLabel = "N", description = "At most N events.")
    Long limit;

    @Option(names = "--reverse", description = "Newest first.")
    boolean reverse;

    @Option(names = "--after", paramLabel = "CURSOR",
            description = "Continue after the event this cursor names (printed on standard error when --limit cut the output).")
    String after;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        OutputFormat format = output.format();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (BucketlogReader reader = filter.openReader(store)) {
            Query q = filter.query(reader);
            Clock clock = Clock.systemUTC();
            if (since != null) {
                q.fromNanos(TimeSpec.parse(since, clock, ZoneId.systemDefault()));
            }
            if (until != null) {
                q.toNanos(TimeSpec.parse(until, clock, ZoneId.systemDefault()));
            }
            if (reverse) {
                q.backward();
            }
            if (limit != null) {
                if (limit < 1) {
                    throw new CliException("--limit must be at least 1");
                }
                q.limit(limit);
            }
            if (after != null) {
                q.after(after);
            }
            long printed = 0;
            List<CorruptionReport> damage;
            try (QueryResult r = q.iterator()) {
                while (r.hasNext()) {
                    Event e = r.next();
                    format.print(e, out);
                    printed++;
                }
                out.flush();
                damage = r.corruptions();
                if (limit != null && printed == limit && r.cursor() != null) {
                    err.println("bucketlog: --limit reached; continue with --after " + r.cursor());
                }
            }
            for (CorruptionReport c : damage) {
                err.println("bucketlog: skipped damaged data: " + c);
            }
            return damage.isEmpty() ? 0 : 1;
        }
    }
}

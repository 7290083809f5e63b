package io.bucketlog.cli;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.Query;
import io.bucketlog.reader.QueryResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code bucketlog query}: events of a stream, filtered, oldest first (or newest with --reverse, or
 * in the order the store holds them with --storage-order).
 */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the events of a stream in time order (or, with --storage-order, in the"
                + " order the store holds them), filtered.",
            "Exit status: 0 when all went well, 1 when damaged data was skipped (reported on"
                + " standard error), 2 for bad arguments."})
final class QueryCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Mixin
    StreamFilter filter;

    @Mixin
    TimeRange range;

    @Option(names = "--limit", paramLabel = "N", description = "At most N events.")
    Long limit;

    @Option(names = "--reverse", description = "Newest first.")
    boolean reverse;

    @Option(names = "--after", paramLabel = "CURSOR",
            description = "Continue after the event this cursor names (printed on standard error when --limit cut the output).")
    String after;

    @Option(names = "--storage-order",
            description = {"Every matching event once, in the order the store holds them instead of"
                    + " by time: window by window, oldest window first, but inside a window not"
                    + " necessarily by time (a compacted window key by key, then by time)."
                    + " Faster for exports, counts and greps of compacted data.",
                "Not with --reverse or --after (a cursor is a position in time order); --limit keeps"
                    + " the first N in this order and prints no cursor."})
    boolean storageOrder;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @ParentCommand
    BucketlogCli root;

    @Override
    public Integer call() {
        OutputFormat format = output.format();
        OutputStyle style = output.style(root.console);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (storageOrder && reverse) {
            throw new CliException("--storage-order cannot be combined with --reverse: storage order"
                    + " reads windows oldest first");
        }
        if (storageOrder && after != null) {
            throw new CliException("--storage-order cannot be combined with --after: a cursor is a"
                    + " position in time order");
        }
        try (BucketlogReader reader = filter.openReader(store)) {
            Query q = range.applyTo(filter.query(reader));
            if (reverse) {
                q.backward();
            }
            if (storageOrder) {
                q.storageOrder();
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
                    format.print(e, style, out);
                    printed++;
                }
                out.flush();
                damage = r.corruptions();
                if (limit != null && printed == limit) {
                    if (storageOrder) {
                        err.println("bucketlog: --limit reached; storage order has no cursor to"
                                + " continue from (narrow --since/--until, or page in time order)");
                    } else if (r.cursor() != null) {
                        err.println("bucketlog: --limit reached; continue with --after " + r.cursor());
                    }
                }
            }
            for (CorruptionReport c : damage) {
                err.println("bucketlog: skipped damaged data: " + c);
            }
            return damage.isEmpty() ? 0 : 1;
        }
    }
}

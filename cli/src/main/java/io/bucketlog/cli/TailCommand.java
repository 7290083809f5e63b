package io.bucketlog.cli;

import io.bucketlog.Event;
import io.bucketlog.Names;
import io.bucketlog.Store;
import io.bucketlog.inspect.DamageReports;
import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.reader.Cursor;
import io.bucketlog.reader.QueryResult;
import io.bucketlog.reader.Tail;
import io.bucketlog.reader.TailIterator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code bucketlog tail}: the last events of a stream, then (with -f) new ones as they come. */
@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the last events of a stream, oldest of them first; with -f, keep"
            + " following new events from every writer, in any process, until interrupted. With"
            + " -f, a store or stream that does not exist yet is waited for (like tail -F)."})
final class TailCommand implements Callable<Integer> {
    /** How often a missing store or stream is looked for again. */
    private static final long WAIT_POLL_MILLIS = 200;

    @Mixin
    StoreOption store;

    @Mixin
    StreamFilter filter;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
            description = "How many of the last events to print first (default ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted.")
    boolean follow;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @ParentCommand
    BucketlogCli root;

    @Override
    public Integer call() throws InterruptedException {
        if (lines < 0) {
            throw new CliException("-n must not be negative");
        }
        OutputFormat format = output.format();
        OutputStyle style = output.style(root.console);
        PrintWriter out = spec.commandLine().getOut();
        Predicate<Event> matches = filter.predicate();
        if (follow) {
            awaitStream();
        }
        PrintWriter err = spec.commandLine().getErr();
        // Damage is told as it is met, each place once, like query tells it; it makes the exit 1.
        DamageReports damage = new DamageReports(c -> {
            err.println("bucketlog: skipped damaged data: " + c);
            err.flush();
        });
        try (BucketlogReader reader = filter.openReader(store, damage::report)) {
            List<Event> last = new ArrayList<>();
            Cursor newest = null;
            if (lines > 0) {
                try (QueryResult r = filter.query(reader).backward().limit(lines).iterator()) {
                    while (r.hasNext()) {
                        last.add(r.next());
                    }
                }
            }
            if (!last.isEmpty()) {
                newest = Cursor.of(last.get(0));
            }
            Collections.reverse(last);
            for (Event e : last) {
                format.print(e, style, out);
            }
            out.flush();
            if (!follow) {
                return damage.isEmpty() ? 0 : 1;
            }
            Tail tail = reader.tail(filter.stream);
            if (filter.key != null) {
                tail.key(filter.key);
            }
            if (newest != null) {
                tail.from(newest);
            }
            try (TailIterator it = tail.iterator()) {
                while (it.hasNext()) {
                    Event e = it.next();
                    if (matches.test(e)) {
                        format.print(e, style, out);
                        out.flush(); // a closed pipe ends the tail here (Stdout)
                    }
                }
            }
        }
        return damage.isEmpty() ? 0 : 1;
    }

    /** Waits, saying so once, until the store and the stream exist. */
    private void awaitStream() throws InterruptedException {
        String problem = Names.streamProblem(filter.stream);
        if (problem != null) {
            throw new CliException("bad stream name '" + filter.stream + "': " + problem);
        }
        boolean said = false;
        while (true) {
            if (!store.absent()) {
                try (Store s = store.openExisting()) {
                    if (s.streamConfig(filter.stream).isPresent()) {
                        return;
                    }
                }
            }
            if (!said) {
                spec.commandLine().getErr().println("bucketlog: waiting for stream '" + filter.stream
                        + "' in " + store.store + " to be created");
                said = true;
            }
            Thread.sleep(WAIT_POLL_MILLIS);
        }
    }
}

package io.bucketlog.cli;

import io.bucketlog.Store;
import io.bucketlog.brigade.Brigade;
import io.bucketlog.brigade.BrigadeSummary;
import io.bucketlog.config.AppenderSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bucketlog compact STORE}: runs the brigade once, or until interrupted. */
@Command(name = "compact", mixinStandardHelpOptions = true, description = "Merge closed windows"
        + " into few key-sorted buckets, roll old windows up, delete what a merge replaced after"
        + " the grace period and windows older than their stream's retention. Safe to run beside"
        + " writers, readers and other compactions. Each step is shown on standard error, the"
        + " totals of each pass on standard output.")
final class CompactCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Mixin
    StreamSelection selection;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--once", description = "One pass, then exit (the default).")
        boolean once;

        @Option(names = "--watch", description = "A pass every --interval until interrupted.")
        boolean watch;
    }

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1m",
            description = "Time between passes with --watch (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "15m",
            description = "How long a merge's inputs stay after its commit, for reads that opened"
                    + " them before; longer than any query (default: ${DEFAULT-VALUE}).")
    String grace;

    @Option(names = "--lateness", paramLabel = "DURATION", defaultValue = "1h",
            description = "How long after a window's end late events are still expected before it"
                    + " is merged (default: ${DEFAULT-VALUE}).")
    String lateness;

    @Option(names = "--roll-up-after", paramLabel = "DURATION|off", defaultValue = "2d",
            description = "From what age an index window is rolled up into one bucket"
                    + " (default: ${DEFAULT-VALUE}).")
    String rollUpAfter;

    @Option(names = "--roll-up", paramLabel = "WIDTH:AGE|off",
            description = "A roll-up wider than the index window: spans of WIDTH become buckets of"
                    + " the stream's roll-up area once they ended AGE ago; repeatable, each width a"
                    + " multiple of the index window and of the narrower ones (default: 30d:30d;"
                    + " off: none).")
    List<String> rollUps = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration every = duration("--interval", interval);
        try (Store s = store.openExisting()) {
            Brigade.Builder b = Brigade.builder(s)
                    .grace(duration("--grace", grace))
                    .lateness(duration("--lateness", lateness))
                    .rollUpAfter(rollUpAfter.trim().equalsIgnoreCase("off") ? null
                            : duration("--roll-up-after", rollUpAfter))
                    .progress(step -> {
                        err.println(SafeText.escape(step.toString(), false));
                        err.flush();
                    });
            for (String r : rollUps) {
                String spec = r.trim();
                int colon = spec.indexOf(':');
                if (spec.equalsIgnoreCase("off")) {
                    b.noWideRollUps();
                } else if (colon < 0) {
                    throw new CliException("bad --roll-up '" + r + "': expected WIDTH:AGE (for"
                            + " example 30d:30d) or off");
                } else {
                    try {
                        b.rollUp(duration("--roll-up", spec.substring(0, colon)),
                                duration("--roll-up", spec.substring(colon + 1)));
                    } catch (IllegalArgumentException e) {
                        throw new CliException("bad --roll-up '" + r + "': " + e.getMessage());
                    }
                }
            }
            if (selection.stream != null) {
                b.stream(store.requireStream(s, selection.stream));
            }
            try (Brigade brigade = b.build()) {
                while (true) {
                    BrigadeSummary summary = brigade.runOnce();
                    out.println(summary);
                    out.flush();
                    summary.damage().forEach(d -> err.println("damaged: " + SafeText.escape(d.toString(), false)));
                    summary.failures().forEach(f -> err.println("failed: " + SafeText.escape(f, false)));
                    if (!mode.watch) {
                        return summary.damage().isEmpty() && summary.failures().isEmpty() ? 0 : 1;
                    }
                    Thread.sleep(every.toMillis());
                }
            }
        }
    }

    static Duration duration(String option, String text) {
        try {
            Duration d = AppenderSettings.parseDuration(text);
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return d;
        } catch (RuntimeException e) {
            throw new CliException("bad " + option + " '" + text + "': expected a duration such as"
                    + " 30s, 15m, 1h or 30d");
        }
    }
}

package io.bucketlog.cli;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The {@code --output} format and time zone of the commands that print events. */
final class OutputOption {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (like a log file), raw (the message alone), json (one object per"
                    + " line) or logfmt. Default: ${DEFAULT-VALUE}.")
    String output;

    @ArgGroup(exclusive = true)
    Zone zone;

    /** {@code --utc} or {@code --local}; neither: local on a terminal, UTC otherwise. */
    static final class Zone {
        @Option(names = "--utc", description = "Text times in UTC (the default when not on a terminal).")
        boolean utc;

        @Option(names = "--local", description = "Text times in the local time zone (the default on a terminal).")
        boolean local;
    }

    OutputFormat format() {
        try {
            return OutputFormat.valueOf(output.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException("--output must be text, raw, json or logfmt, not '" + output + "'");
        }
    }

    /** The style for this output, given where standard output goes. */
    OutputStyle style(Console console) {
        boolean local = zone == null ? console.terminal() : zone.local;
        return new OutputStyle(local ? ZoneId.systemDefault() : ZoneOffset.UTC, console.colour());
    }
}

package io.bucketlog.cli;

import java.util.Locale;
import picocli.CommandLine.Option;

/** The {@code --output} format of the commands that print events. */
final class OutputOption {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (like a log file), json (one object per line) or logfmt. Default: ${DEFAULT-VALUE}.")
    String output;

    OutputFormat format() {
        try {
            return OutputFormat.valueOf(output.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException("--output must be text, json or logfmt, not '" + output + "'");
        }
    }
}

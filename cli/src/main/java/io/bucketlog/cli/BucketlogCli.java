package io.bucketlog.cli;

import io.bucketlog.inspect.StoreInspector;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code bucketlog} command: query, tail and inspect a store from a shell.
 *
 * <p>Errors are one line on standard error and a non-zero exit code (2 for bad usage, 1 for
 * everything else); {@code --debug} adds the stack trace.
 */
@Command(name = "bucketlog", mixinStandardHelpOptions = true,
        versionProvider = BucketlogCli.Version.class,
        description = "Query, tail and inspect a Bucketlog store.",
        subcommands = {QueryCommand.class, TailCommand.class, StreamsCommand.class,
            KeysCommand.class, FieldsCommand.class, StatsCommand.class, VerifyCommand.class,
            CompactCommand.class, PruneCommand.class, RecoverCommand.class, DemoCommand.class,
            ServeCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class})
public final class BucketlogCli {
    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

    /** Where standard output goes; set before the command runs. */
    Console console = Console.PIPE;

    public static void main(String[] args) {
        PrintWriter out = Stdout.open();
        int code = run(args, out, new PrintWriter(System.err, true), Console.detect());
        try {
            out.flush();
        } catch (Stdout.Closed e) {
            // the reader went away after the command finished: nothing was lost that it wanted
        }
        System.exit(code);
    }

    /** Runs a command line with the given output streams, as if piped; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, Console.PIPE);
    }

    static int run(String[] args, PrintWriter out, PrintWriter err, Console console) {
        BucketlogCli root = new BucketlogCli();
        root.console = console;
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof Stdout.Closed) {
                return 0; // like head's input: the reader has all it wanted
            }
            boolean debug = root.debug || parseResult.originalArgs().contains("--debug");
            String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            commandLine.getErr().println("bucketlog: " + message);
            if (debug) {
                ex.printStackTrace(commandLine.getErr());
            }
            return ex instanceof CliException || ex instanceof IllegalArgumentException ? 2 : 1;
        });
        cl.setParameterExceptionHandler((ex, strings) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("bucketlog: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        return cl.execute(args);
    }

    /** The version from the jar manifest, the commit it was built from, and the formats it reads. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            String v = BucketlogCli.class.getPackage().getImplementationVersion();
            String commit = "unknown";
            try (InputStream in = BucketlogCli.class.getResourceAsStream("commit.txt")) {
                if (in != null) {
                    String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                    commit = text.isEmpty() ? commit : text;
                }
            }
            return new String[] {
                "bucketlog " + (v == null ? "(development build)" : v) + " (commit " + commit + ")",
                "formats: " + StoreInspector.formatVersions()};
        }
    }
}

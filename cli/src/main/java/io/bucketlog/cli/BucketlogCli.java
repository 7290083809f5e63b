package io.bucketlog.cli;

import java.io.PrintWriter;
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
            StatsCommand.class, VerifyCommand.class, DemoCommand.class, ServeCommand.class,
            CommandLine.HelpCommand.class})
public final class BucketlogCli {
    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line with the given output streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        BucketlogCli root = new BucketlogCli();
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
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

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BucketlogCli.class.getPackage().getImplementationVersion();
            return new String[] {"bucketlog " + (v == null ? "(development build)" : v)};
        }
    }
}

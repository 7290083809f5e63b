package io.bucketlog.cli;

import io.bucketlog.reader.BucketlogReader;
import io.bucketlog.samples.crm.TimelineApp;
import io.bucketlog.samples.log4j2.OrderServiceLog4j2;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bucketlog demo}: runs the Log4j2 sample (which logs through the appender, configured in
 * XML only) and the CRM timeline sample into a directory, then reads both back the ways the CLI
 * and the reader SDK offer.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Log orders through the Log4j2 appender and write a CRM"
        + " timeline into DIR, then query them back.")
final class DemoCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "bucketlog-demo",
            description = "Where to put the store (default: ${DEFAULT-VALUE} in the working directory).")
    Path dir;

    @Option(names = "--orders", paramLabel = "N", defaultValue = "10000",
            description = "How many orders the sample service logs (default ${DEFAULT-VALUE}).")
    int orders;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (orders < 1 || orders > 10_000_000) {
            throw new CliException("--orders must be between 1 and 10000000");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String store = dir.toString();
        out.println("== 1. An order service logs " + orders + " orders with the Log4j2 API.");
        out.println("   Bucketlog is only in its configuration (samples: bucketlog-log4j2.xml):");
        out.println("   <Bucketlog name=\"bucketlog\" directory=\"" + store
                + "\" stream=\"orders\" keyPattern=\"%X{userId}\" .../>");
        out.flush(); // standard output is buffered: show each step before it runs
        long start = System.nanoTime();
        OrderServiceLog4j2.run(store, orders);
        out.printf("   done in %d ms; Log4j2 stopped, so every bucket is sealed.%n%n",
                (System.nanoTime() - start) / 1_000_000);

        out.println("== 2. A CRM writes 20000 activity events of 200 users through the writer API,");
        out.println("   2% of them late by up to a day.");
        out.flush();
        ByteArrayOutputStream loaded = new ByteArrayOutputStream();
        TimelineApp.load(dir, 20_000, 200, new PrintStream(loaded, true, StandardCharsets.UTF_8));
        out.print("   " + loaded.toString(StandardCharsets.UTF_8));
        out.println();

        int code = 0;
        code |= show(out, err, "the three first errors, with their stack traces",
                "query", store, "--stream", "orders", "--level", "ERROR", "--limit", "3");
        code |= show(out, err, "one user's latest log events (the key is the MDC userId)",
                "query", store, "--stream", "orders", "--key", "user-42", "--reverse", "--limit", "5");
        code |= show(out, err, "slow orders as JSON",
                "query", store, "--stream", "orders", "--grep", "slower than", "--limit", "2", "--output", "json");

        out.println("== The CRM's timeline of user-42, through the reader SDK:");
        out.println("   reader.latest(\"" + TimelineApp.STREAM + "\", \"user-42\", 5)");
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            TimelineApp.show(reader, "user-42", 5, new PrintStream(shown, true, StandardCharsets.UTF_8));
        }
        out.println(shown.toString(StandardCharsets.UTF_8));

        code |= show(out, err, "what is in the store", "stats", store);
        out.println("Next: ./bucketlog tail " + store + " --stream orders -f   (and run the demo"
                + " again in another terminal)");
        out.flush();
        return code;
    }

    private static int show(PrintWriter out, PrintWriter err, String what, String... args) {
        out.println("== " + what + ":");
        out.println("$ bucketlog " + String.join(" ", quoted(args)));
        out.flush();
        int code = BucketlogCli.run(args, out, err);
        out.println();
        return code;
    }

    private static String[] quoted(String[] args) {
        String[] q = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            q[i] = args[i].contains(" ") ? "'" + args[i] + "'" : args[i];
        }
        return q;
    }
}

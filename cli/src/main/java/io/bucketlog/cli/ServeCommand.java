package io.bucketlog.cli;

import io.bucketlog.BucketlogException;
import io.bucketlog.viewer.ViewerOptions;
import io.bucketlog.viewer.ViewerServer;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bucketlog serve STORE}: the web viewer, until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a read-only web viewer of the store: search, histogram, live tail.")
final class ServeCommand implements Callable<Integer> {
    private static final String LOG_CONFIG_PROPERTY = "logback.configurationFile";

    @Mixin
    StoreOption store;

    @Option(names = "--port", defaultValue = "8080", description = "Port (0: any free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}; any other than loopback needs a token.")
    String bind;

    @Option(names = "--token", arity = "0..1", fallbackValue = "",
            description = "Require an access token: the one given, or a random one when none is given"
                    + " (printed in the address). Default: $" + ViewerOptions.TOKEN_ENV + " if set.")
    String token;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        String t = token;
        if (t == null) {
            String env = System.getenv(ViewerOptions.TOKEN_ENV);
            t = env == null || env.isEmpty() ? null : env;
        } else if (t.isEmpty()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            t = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }
        ViewerOptions options;
        try {
            options = ViewerOptions.builder().locations(store.locations()).bind(bind).port(port)
                    .token(t).build();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        if (System.getProperty(LOG_CONFIG_PROPERTY) == null) {
            // Jetty and Javalin log through SLF4J; the jar's Logback would print their debug log.
            System.setProperty(LOG_CONFIG_PROPERTY, "io/bucketlog/cli/serve-logback.xml");
        }
        store.openExisting().close(); // a path that holds no store is an error, never created
        CountDownLatch stopped = new CountDownLatch(1);
        ViewerServer server;
        try {
            server = ViewerServer.start(options);
        } catch (BucketlogException e) {
            throw new CliException(e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "bucketlog-serve-stop"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Bucketlog viewer of " + store.store + " at "
                + server.uri() + " (read-only; Ctrl-C stops it)");
        out.flush(); // standard output is buffered until a command's result is complete
        stopped.await();
        return 0;
    }
}

package io.bucketlog.viewer;

import io.bucketlog.UnknownStreamException;
import io.bucketlog.reader.BucketlogReader;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The web viewer: one read-only page and its JSON API over a store, served by Javalin (Jetty).
 *
 * <pre>{@code
 * try (ViewerServer viewer = ViewerServer.start(ViewerOptions.builder()
 *         .directories(List.of(Path.of("/var/lib/events"))).port(8080).build())) {
 *     System.out.println("open " + viewer.uri());
 *     ...                                   // serves on Jetty's threads until closed
 * }
 * }</pre>
 *
 * <p>Endpoints (all GET): {@code /} the page; {@code /api/streams}; {@code /api/query} a page of
 * events, newest first; {@code /api/histogram} events per time bin; {@code /api/tail} Server-Sent
 * Events of new events. The README describes their parameters and answers.
 */
public final class ViewerServer implements AutoCloseable {
    private final BucketlogReader reader;
    private final TailApi tails;
    private final Javalin app;
    private final ViewerOptions options;

    private ViewerServer(ViewerOptions options) {
        this.options = options;
        this.reader = BucketlogReader.builder().locations(options.locations().toArray(String[]::new)).build();
        JsonResponses json = new JsonResponses();
        SearchApi search = new SearchApi(reader, options, json);
        HistogramApi histogram = new HistogramApi(reader, options, json);
        this.tails = new TailApi(reader, options, json);
        AccessGuard guard = new AccessGuard(options.token(), json);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = options.bind();
            config.jetty.port = options.port();
            config.staticFiles.add(s -> {
                s.hostedPath = "/";
                s.directory = "/io/bucketlog/viewer/page";
                s.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
            config.routes.before(guard::check);
            config.routes.get("/api/streams", search::streams);
            config.routes.get("/api/query", search::query);
            config.routes.get("/api/histogram", histogram::histogram);
            config.routes.sse("/api/tail", tails::tail);
            config.routes.exception(BadRequestException.class,
                    (e, ctx) -> json.error(ctx, 400, e.getMessage()));
            config.routes.exception(UnknownStreamException.class,
                    (e, ctx) -> json.error(ctx, 404, e.getMessage()));
            config.routes.exception(IllegalArgumentException.class,
                    (e, ctx) -> json.error(ctx, 400, e.getMessage()));
        });
    }

    /**
     * Opens the store and starts serving.
     *
     * @throws io.bucketlog.BucketlogException if the locations hold no store
     */
    public static ViewerServer start(ViewerOptions options) {
        ViewerServer s = new ViewerServer(options);
        try {
            s.app.start();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The port it listens on (the one picked when the options said 0). */
    public int port() {
        return app.port();
    }

    /** The page's address (with the token, when there is one, so that it opens as is). */
    public URI uri() {
        String host = options.bind().contains(":") ? "[" + options.bind() + "]" : options.bind();
        return URI.create("http://" + host + ":" + port() + "/"
                + (options.token() == null ? ""
                : "?token=" + URLEncoder.encode(options.token(), StandardCharsets.UTF_8)));
    }

    /** How many live tails are being served now. */
    public int runningTails() {
        return tails.running();
    }

    /** Stops serving, ends every tail and closes the store. Idempotent. */
    @Override
    public void close() {
        app.stop();
        tails.close();
        reader.close();
    }
}

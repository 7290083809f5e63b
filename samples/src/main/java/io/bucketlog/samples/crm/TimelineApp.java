package io.bucketlog.samples.crm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.reader.BucketlogReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CRM's activity timeline on Bucketlog: every user's events (emails opened, deals updated, calls
 * logged) go to one stream keyed by user id, updates may arrive late and out of order, and the
 * product shows "the latest N events of user X".
 *
 * <pre>
 * java -cp cli/target/bucketlog.jar io.bucketlog.samples.crm.TimelineApp DIR load [EVENTS]
 * java -cp cli/target/bucketlog.jar io.bucketlog.samples.crm.TimelineApp DIR show USER [N]
 * java -cp cli/target/bucketlog.jar io.bucketlog.samples.crm.TimelineApp DIR serve [PORT]
 *     then: curl 'http://localhost:8080/users/user-42/timeline?n=20'
 * </pre>
 */
public final class TimelineApp {
    /** The stream the timeline lives in. */
    public static final String STREAM = "crm-timeline";
    /**
     * Small blocks (8 KiB) keep a user's lookup cheap: the footer lists the blocks that hold the
     * user, and each costs little to decompress. Hourly buckets and daily index windows let
     * "latest N" stop after the newest day or two.
     */
    public static final StreamConfig CONFIG = StreamConfig.builder()
            .bucketBytes(32L << 20)
            .bucketWidth(Duration.ofHours(1))
            .indexWindow(Duration.ofDays(1))
            .blockBytes(8 * 1024)
            .build();
    private static final String[] TYPES = {"email.opened", "deal.updated", "call.logged",
        "note.added", "meeting.booked"};
    private static final Pattern TIMELINE = Pattern.compile("/users/([^/]+)/timeline");
    private static final JsonFactory JSON = new JsonFactory();

    private TimelineApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TimelineApp DIR load [EVENTS] | show USER [N] | serve [PORT]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        switch (args[1]) {
            case "load" -> load(dir, args.length > 2 ? Integer.parseInt(args[2]) : 50_000, 500, System.out);
            case "show" -> {
                try (BucketlogReader reader = BucketlogReader.open(dir)) {
                    show(reader, args.length > 2 ? args[2] : "user-42",
                            args.length > 3 ? Integer.parseInt(args[3]) : 10, System.out);
                }
            }
            case "serve" -> {
                try (BucketlogReader reader = BucketlogReader.open(dir)) {
                    HttpServer server = serve(reader, args.length > 2 ? Integer.parseInt(args[2]) : 8080);
                    System.out.println("serving http://localhost:" + server.getAddress().getPort()
                            + "/users/{id}/timeline?n=20 ; Ctrl-C stops");
                    Thread.currentThread().join();
                }
            }
            default -> {
                System.err.println("unknown command " + args[1] + ": use load, show or serve");
                System.exit(2);
            }
        }
    }

    /**
     * Writes {@code events} activity events over {@code users} users, spread over the last seven
     * days; one in fifty is a late update, stamped up to a day before the others of its moment.
     */
    public static void load(Path dir, int events, int users, PrintStream out) {
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, CONFIG);
            WriterOptions options = WriterOptions.builder().ringFullPolicy(RingFullPolicy.BLOCK)
                    .closeOnJvmShutdown(false).build();
            try (Writer writer = store.writer(options)) {
                Random random = new Random(1);
                long now = System.currentTimeMillis() * 1_000_000L;
                long span = Duration.ofDays(7).toNanos();
                for (int i = 0; i < events; i++) {
                    long ts = now - span + (long) ((double) span * i / events);
                    if (random.nextInt(50) == 0) {
                        ts -= (long) (random.nextDouble() * Duration.ofDays(1).toNanos());
                    }
                    String user = "user-" + random.nextInt(users);
                    String type = TYPES[random.nextInt(TYPES.length)];
                    String body = "{\"type\":\"" + type + "\",\"by\":\"agent-" + random.nextInt(20)
                            + "\",\"note\":\"activity " + i + " for " + user + "\"}";
                    writer.append(STREAM, user, ts, Map.of("type", type),
                            body.getBytes(StandardCharsets.UTF_8));
                }
                writer.flush(Duration.ofMinutes(1));
                out.println("wrote " + writer.stats().written() + " timeline events for " + users
                        + " users into " + dir);
            }
        }
    }

    /** Prints the latest {@code n} events of one user, newest first. */
    public static void show(BucketlogReader reader, String user, int n, PrintStream out) {
        List<Event> latest = reader.latest(STREAM, user, n);
        out.println("latest " + latest.size() + " events of " + user + ":");
        for (Event e : latest) {
            out.println("  " + instant(e.timestampNanos()) + "  " + e.attribute("type") + "  "
                    + e.bodyText());
        }
    }

    /** Starts the HTTP endpoint {@code GET /users/{id}/timeline?n=N} (JSON, newest first). */
    public static HttpServer serve(BucketlogReader reader, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/users/", exchange -> {
            try (exchange) {
                handle(reader, exchange);
            }
        });
        server.start();
        return server;
    }

    private static void handle(BucketlogReader reader, HttpExchange exchange) throws IOException {
        Matcher m = TIMELINE.matcher(exchange.getRequestURI().getPath());
        if (!"GET".equals(exchange.getRequestMethod()) || !m.matches()) {
            reply(exchange, 404, "{\"error\":\"use GET /users/{id}/timeline?n=20\"}");
            return;
        }
        int n = 20;
        String query = exchange.getRequestURI().getQuery();
        if (query != null && query.startsWith("n=")) {
            try {
                n = Integer.parseInt(query.substring(2));
            } catch (NumberFormatException e) {
                n = -1;
            }
        }
        if (n < 1 || n > 1000) {
            reply(exchange, 400, "{\"error\":\"n must be between 1 and 1000\"}");
            return;
        }
        String user = m.group(1);
        List<Event> latest;
        try {
            latest = reader.latest(STREAM, user, n);
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, "{\"error\":\"bad user id\"}");
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(body)) {
            json.writeStartObject();
            json.writeStringField("user", user);
            json.writeArrayFieldStart("events");
            for (Event e : latest) {
                json.writeStartObject();
                json.writeStringField("time", instant(e.timestampNanos()));
                json.writeStringField("type", e.attribute("type"));
                json.writeStringField("body", e.bodyText());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        reply(exchange, 200, body.toString(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L)).toString();
    }
}

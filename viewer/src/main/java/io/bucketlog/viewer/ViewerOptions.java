package io.bucketlog.viewer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ViewerServer} runs. Built with {@link #builder()}; only the store's locations are
 * required.
 *
 * @param locations the store's locations, in creation order: directories, or another storage
 *     backend's locations such as {@code s3://bucket/prefix?...} (as {@code Store.open(String...)})
 * @param bind the address to listen on; loopback ({@code 127.0.0.1}) unless told otherwise
 * @param port the port; 0 picks a free one
 * @param token the access token every request must carry, or {@code null} for none (only allowed
 *     on a loopback address)
 * @param maxPage the most events one {@code /api/query} page returns
 * @param requestTimeout the most time one query or histogram request may spend reading
 * @param maxEventsExamined the most events one filtered request may examine
 * @param maxTails the most live tails served at once
 */
public record ViewerOptions(List<String> locations, String bind, int port, String token, int maxPage,
                            Duration requestTimeout, long maxEventsExamined, int maxTails) {
    /** Environment variable read for the token when none is given on the command line. */
    public static final String TOKEN_ENV = "BUCKETLOG_VIEWER_TOKEN";

    public ViewerOptions {
        locations = List.copyOf(locations);
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("the viewer needs the store's locations");
        }
        Objects.requireNonNull(bind, "bind");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        if (token != null && token.length() < 16) {
            throw new IllegalArgumentException("an access token needs at least 16 characters");
        }
        if (token == null && !isLoopback(bind)) {
            throw new IllegalArgumentException("binding to " + bind + " (not loopback) needs an"
                    + " access token: pass --token or set " + TOKEN_ENV);
        }
        if (maxPage < 1 || maxEventsExamined < 1 || maxTails < 1
                || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("viewer limits must be positive");
        }
    }

    /** Whether {@code host} names only this machine (resolving it if it is a name). */
    public static boolean isLoopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown bind address '" + host + "'", e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ViewerOptions}. */
    public static final class Builder {
        private List<String> locations = List.of();
        private String bind = "127.0.0.1";
        private int port = 8080;
        private String token;
        private int maxPage = 500;
        private Duration requestTimeout = Duration.ofSeconds(5);
        private long maxEventsExamined = 5_000_000;
        private int maxTails = 16;

        private Builder() {
        }

        /** The store's directories, in creation order. */
        public Builder directories(List<Path> directories) {
            this.locations = directories.stream().map(d -> d.toAbsolutePath().normalize().toString()).toList();
            return this;
        }

        /**
         * The store's locations, in creation order: directories or another backend's locations
         * ({@code s3://...}), as {@code Store.open(String...)} takes them.
         */
        public Builder locations(List<String> locations) {
            this.locations = List.copyOf(locations);
            return this;
        }

        public Builder bind(String bind) {
            this.bind = bind;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The access token, or {@code null} for none. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        public Builder maxPage(int maxPage) {
            this.maxPage = maxPage;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder maxEventsExamined(long max) {
            this.maxEventsExamined = max;
            return this;
        }

        public Builder maxTails(int maxTails) {
            this.maxTails = maxTails;
            return this;
        }

        public ViewerOptions build() {
            return new ViewerOptions(locations, bind, port, token, maxPage, requestTimeout,
                    maxEventsExamined, maxTails);
        }
    }
}

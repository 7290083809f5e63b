package io.bucketlog;

import java.util.function.BiConsumer;

/**
 * Receives the problems a writer meets after {@code append} has returned: a full disk, an unknown
 * stream, a timestamp too far in the future. Called on the bucket-writer thread; it must not block and must not
 * append to the same writer (that could fill the ring it is draining). The log appenders route
 * these to their framework's status channel, through {@link #rateLimited}.
 */
@FunctionalInterface
public interface WriteErrorListener {

    /** Prints one line per problem to standard error, at most one per second. */
    WriteErrorListener STDERR = rateLimited(1000, (message, cause) ->
            System.err.println("bucketlog: " + message + (cause != null ? ": " + cause : "")));

    /**
     * @param message what went wrong and what was lost, for a person to read
     * @param cause the underlying exception, or {@code null}
     */
    void onError(String message, Throwable cause);

    /**
     * A listener that passes at most one problem per interval to {@code sink}, and counts the
     * others into the next message ("... (3 more problems since the last report)"), so that a
     * failing disk yields a steady trickle of reports instead of one per event.
     */
    static WriteErrorListener rateLimited(long intervalMillis, BiConsumer<String, Throwable> sink) {
        long intervalNanos = intervalMillis * 1_000_000L;
        return new WriteErrorListener() {
            private long nextNanos = System.nanoTime();
            private long suppressed;

            @Override
            public synchronized void onError(String message, Throwable cause) {
                long now = System.nanoTime();
                if (now - nextNanos < 0) {
                    suppressed++;
                    return;
                }
                nextNanos = now + intervalNanos;
                String more = suppressed == 0 ? ""
                        : " (" + suppressed + " more problems since the last report)";
                suppressed = 0;
                sink.accept(message + more, cause);
            }
        };
    }
}

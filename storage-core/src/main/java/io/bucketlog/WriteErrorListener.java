package io.bucketlog;

/**
 * Receives the problems a writer meets after {@code append} has returned: a full disk, an unknown
 * stream, an oversized event. Called on the bucket-writer thread; it must not block and must not
 * append to the same writer (that could fill the ring it is draining). The log appenders route
 * these to their framework's status channel at a bounded rate.
 */
@FunctionalInterface
public interface WriteErrorListener {

    /** Prints one line per problem to standard error, at most one per second. */
    WriteErrorListener STDERR = new WriteErrorListener() {
        private long lastNanos = System.nanoTime() - 2_000_000_000L;
        private long suppressed;

        @Override
        public synchronized void onError(String message, Throwable cause) {
            long now = System.nanoTime();
            if (now - lastNanos < 1_000_000_000L) {
                suppressed++;
                return;
            }
            lastNanos = now;
            String more = suppressed > 0 ? " (" + suppressed + " similar messages suppressed)" : "";
            suppressed = 0;
            System.err.println("bucketlog: " + message
                    + (cause != null ? ": " + cause : "") + more);
        }
    };

    /**
     * @param message what went wrong and what was lost, for a person to read
     * @param cause the underlying exception, or {@code null}
     */
    void onError(String message, Throwable cause);
}

package io.bucketlog.cli;

import java.io.PrintWriter;

/**
 * A progress line on standard error for work that takes longer than a second, redrawn at most
 * twice a second and erased when done, so quick commands print nothing extra and piped standard
 * output stays clean.
 */
final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final String what;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private boolean drawn;

    Progress(PrintWriter err, String what) {
        this.err = err;
        this.what = what;
    }

    void update(long done, long total) {
        long now = System.nanoTime();
        if (now - startNanos < 1_000_000_000L || now - lastDrawNanos < 500_000_000L) {
            return;
        }
        lastDrawNanos = now;
        drawn = true;
        err.print("\r" + what + " " + done + (total > 0 ? "/" + total : "") + "   ");
        err.flush();
    }

    @Override
    public void close() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}

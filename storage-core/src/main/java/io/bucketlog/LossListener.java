package io.bucketlog;

/**
 * Receives a writer's {@link LossReport}s: on the writer thread while it runs, on the closing
 * thread for the final one. It must not block and must not append to the same writer. The log
 * appenders send these to their framework's status channel.
 */
@FunctionalInterface
public interface LossListener {

    /** Prints every report with a loss, and the final one, to standard error. */
    LossListener STDERR = report -> {
        if (report.hasLosses() || report.total().lost() > 0) {
            System.err.println("bucketlog: " + report);
        }
    };

    void onReport(LossReport report);
}

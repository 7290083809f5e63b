package io.bucketlog.cli;

/** A problem to report to the user as one line, without a stack trace. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }
}

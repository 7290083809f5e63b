package io.bucketlog.viewer;

/** A request the API cannot answer as asked: answered with status 400 and this message. */
final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequestException(String message) {
        super(message);
    }
}

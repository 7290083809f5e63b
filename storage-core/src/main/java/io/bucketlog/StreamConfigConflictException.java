package io.bucketlog;

/** A stream was opened with a configuration that differs from the one stored with it. */
public class StreamConfigConflictException extends BucketlogException {
    private static final long serialVersionUID = 1L;

    public StreamConfigConflictException(String message) {
        super(message);
    }
}

package io.bucketlog;

/** A storage operation failed: an I/O error, a full disk, a file that is not a Bucketlog file. */
public class BucketlogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BucketlogException(String message) {
        super(message);
    }

    public BucketlogException(String message, Throwable cause) {
        super(message, cause);
    }
}

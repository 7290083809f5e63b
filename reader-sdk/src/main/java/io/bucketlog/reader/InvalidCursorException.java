package io.bucketlog.reader;

/** A cursor string that is not one this SDK produced, or a cursor used where it cannot apply. */
public class InvalidCursorException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidCursorException(String message) {
        super(message);
    }

    public InvalidCursorException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.bucketlog.spi;

import java.io.IOException;

/**
 * A backend that spools appends locally before publishing them has no room left: the append is
 * refused whole, and the engine counts its events as lost, like a full ring.
 */
public final class SpoolFullException extends IOException {
    private static final long serialVersionUID = 1L;

    public SpoolFullException(String message) {
        super(message);
    }
}

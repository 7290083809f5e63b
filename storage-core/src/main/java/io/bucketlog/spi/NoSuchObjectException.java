package io.bucketlog.spi;

import java.io.IOException;

/** There is no object of that name. */
public final class NoSuchObjectException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoSuchObjectException(String location) {
        super(location + ": no such object");
    }
}

package io.bucketlog.spi;

import java.io.IOException;

/** There is no object of that name. */
public final class NoSuchObjectException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String location;

    public NoSuchObjectException(String location) {
        super(location + ": no such object");
        this.location = location;
    }

    /** Where the missing object would be. */
    public String location() {
        return location;
    }
}

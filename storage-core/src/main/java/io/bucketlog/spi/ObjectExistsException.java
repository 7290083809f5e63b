package io.bucketlog.spi;

import java.io.IOException;

/** An object of that name exists, and the operation does not replace one. */
public final class ObjectExistsException extends IOException {
    private static final long serialVersionUID = 1L;

    public ObjectExistsException(String location) {
        super(location + ": exists");
    }
}

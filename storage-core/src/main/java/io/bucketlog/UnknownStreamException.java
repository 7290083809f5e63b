package io.bucketlog;

import java.nio.file.Path;

/** A stream was asked for that the store does not have. */
public class UnknownStreamException extends BucketlogException {
    private static final long serialVersionUID = 1L;

    public UnknownStreamException(String stream, Path store) {
        super("no stream '" + stream + "' in store " + store);
    }
}

package io.bucketlog.internal.format;

import io.bucketlog.BucketlogException;

/** Bytes read from a file do not form what the format says must be there. */
public class CorruptDataException extends BucketlogException {
    private static final long serialVersionUID = 1L;

    public CorruptDataException(String message) {
        super(message);
    }
}

package io.bucketlog;

/** A stream was asked for that the store does not have. */
public class UnknownStreamException extends BucketlogException {
    private static final long serialVersionUID = 1L;

    /** @param store the store's location, as {@link Store#location()} gives it */
    public UnknownStreamException(String stream, String store) {
        super("no stream '" + stream + "' in store " + store);
    }
}

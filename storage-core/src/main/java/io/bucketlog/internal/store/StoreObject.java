package io.bucketlog.internal.store;

import io.bucketlog.spi.ReadableObject;
import io.bucketlog.spi.Storage;
import java.io.IOException;

/**
 * One object of a store: the volume it is on and its name there. What the read path holds where
 * it once held a file's path.
 */
public record StoreObject(Storage storage, String name) {
    /** Where it is, for reports: a local store's absolute path. */
    public String location() {
        return storage.locationOf(name);
    }

    /** Its last name segment ({@code 20261126T140000Z-w1-7.bkt}). */
    public String fileName() {
        return StoreLayout.fileName(name);
    }

    public ReadableObject openRead() throws IOException {
        return storage.openRead(name);
    }

    @Override
    public String toString() {
        return location();
    }
}

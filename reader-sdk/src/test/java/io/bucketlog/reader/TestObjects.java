package io.bucketlog.reader;

import io.bucketlog.backend.file.FileStorage;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tests start from files on disk; the engine reads objects of a storage. */
final class TestObjects {
    private TestObjects() {
    }

    /** The object of a file: in the store that holds it, or else in its own directory. */
    static StoreObject object(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path root = abs.getParent();
        for (Path p = abs.getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("store.properties"))) {
                root = p;
                break;
            }
        }
        FileStorage storage = new FileStorage(root);
        return new StoreObject(storage, storage.nameOf(abs));
    }

    /** A file opened the way the engine reads objects. */
    static ReadableObject readable(Path file) throws IOException {
        return object(file).openRead();
    }
}

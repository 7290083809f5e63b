package io.bucketlog.backend.file;

import io.bucketlog.spi.Storage;
import io.bucketlog.spi.StorageContractTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The file backend runs the contract every backend runs. */
class FileStorageContractTest extends StorageContractTest {
    private Path root;

    @Override
    protected Storage newStorage() throws IOException {
        root = Files.createDirectories(scratch.resolve("store"));
        return FileStorageProvider.open(root, true);
    }

    @Override
    protected Storage secondHandle(Storage first) throws IOException {
        return FileStorageProvider.open(root, false);
    }

    @Override
    protected ChildStorage childStorage(Storage first) {
        return new ChildStorage(FileStorageProvider.class, root.toString(), List.of());
    }
}

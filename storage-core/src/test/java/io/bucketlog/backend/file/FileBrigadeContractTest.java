package io.bucketlog.backend.file;

import io.bucketlog.Store;
import io.bucketlog.spi.BrigadeContractTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The brigade on the file backend, as on every backend: every host opens the same directory. */
class FileBrigadeContractTest extends BrigadeContractTest {
    @TempDir
    Path dir;

    @Override
    protected void newStore() {
        // a new temporary directory for every test
    }

    @Override
    protected Store open(String host) {
        return Store.open(dir);
    }

    @Override
    protected ChildStore child(String host) {
        return new ChildStore(dir.toString(), List.of());
    }
}

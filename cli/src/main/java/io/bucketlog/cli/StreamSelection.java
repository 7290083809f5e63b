package io.bucketlog.cli;

import io.bucketlog.Store;
import java.util.List;
import picocli.CommandLine.Option;

/** The optional {@code --stream} of commands that otherwise work on every stream. */
final class StreamSelection {
    @Option(names = "--stream", paramLabel = "STREAM", description = "Only this stream.")
    String stream;

    /** The chosen stream (checked to exist), or every stream of the store. */
    List<String> streams(StoreOption store, Store s) {
        return stream != null ? List.of(store.requireStream(s, stream)) : s.streams();
    }
}

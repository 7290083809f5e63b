package io.bucketlog.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.internal.read.BucketFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.logging.log4j.core.LoggerContext;

/** Test helpers: start a logger context from a configuration file, read back a store. */
final class Stored {
    private Stored() {
    }

    /** Every event of a stream, through the public scan API. */
    static List<Event> events(Path dir, String stream) {
        try (Store store = Store.open(dir); EventScan scan = store.scan(ScanRequest.all(stream))) {
            List<Event> out = new ArrayList<>();
            scan.forEachRemaining(out::add);
            assertThat(scan.corruptions()).isEmpty();
            return out;
        }
    }

    /** Every data bucket file under the directory, and whether it is sealed. */
    static List<Boolean> bucketsSealed(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Boolean> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".bkt")).toList()) {
                StoreLayout.BucketName name = StoreLayout.parseBucketName(p.getFileName().toString());
                io.bucketlog.backend.file.FileStorage storage = new io.bucketlog.backend.file.FileStorage(dir);
                try (BucketFile b = BucketFile.open(new io.bucketlog.internal.store.StoreObject(storage,
                        storage.nameOf(p)), name, r -> { })) {
                    out.add(b.sealed());
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A logger context configured from a classpath resource by Log4j2's own configuration loading. */
    static LoggerContext start(String name, String resource) {
        return start(new LoggerContext(name, null, uri(resource)));
    }

    static LoggerContext start(LoggerContext ctx) {
        ctx.start();
        return ctx;
    }

    static java.net.URI uri(String resource) {
        try {
            return Stored.class.getResource("/" + resource).toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

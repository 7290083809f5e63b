package io.bucketlog.cli;

import io.bucketlog.BucketlogException;
import io.bucketlog.Store;
import io.bucketlog.inspect.StoreInspector;
import io.bucketlog.spi.Locations;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/** The {@code STORE} argument every command takes: one directory, or several separated by commas. */
final class StoreOption {
    @Parameters(index = "0", paramLabel = "STORE",
            description = "The store directory (several: separated by commas, in creation order), or an"
                    + " object-store location: s3://bucket/prefix?endpoint=...&path-style=true.")
    String store;

    /**
     * The store's locations: each part a directory (made absolute), or another storage
     * backend's location when it has a {@code scheme://}.
     */
    List<String> locations() {
        List<String> out = new ArrayList<>();
        for (String part : parts()) {
            out.add(Locations.scheme(part).isPresent() ? part
                    : path(part).toAbsolutePath().normalize().toString());
        }
        return out;
    }

    private List<String> parts() {
        List<String> out = new ArrayList<>();
        for (String part : store.split(",")) {
            if (part.isBlank()) {
                throw new CliException("empty directory name in '" + store + "'");
            }
            out.add(part.trim());
        }
        return out;
    }

    private static Path path(String part) {
        try {
            return Path.of(part);
        } catch (InvalidPathException e) {
            throw new CliException("bad store directory '" + part + "': " + e.getReason());
        }
    }

    /**
     * Opens the store for reading; a path that holds no store is an error, never created. That is
     * a usage error (exit 2); a store that cannot be read (no permission, an I/O error) is a
     * failure (exit 1) and keeps its exception.
     */
    Store openExisting() {
        try {
            return Store.openExisting(locations().toArray(String[]::new));
        } catch (BucketlogException e) {
            throw usageUnlessIo(e);
        }
    }

    /** Whether every directory lacks a store: nothing there yet (for {@code tail -f} to wait on). */
    boolean absent() {
        return !StoreInspector.anyStoreAt(locations());
    }

    private static RuntimeException usageUnlessIo(BucketlogException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return e;
            }
        }
        return new CliException(e.getMessage());
    }

    /** Checks that a stream exists, naming the ones that do when it does not. */
    String requireStream(Store s, String stream) {
        try {
            if (s.streamConfig(stream).isEmpty()) {
                throw new CliException("no stream '" + stream + "' in " + store
                        + "; streams: " + (s.streams().isEmpty() ? "(none)" : String.join(", ", s.streams())));
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        // A stream.conf that cannot be read or is damaged (BucketlogException) is a failure,
        // exit 1, not bad usage: the stream exists.
        return stream;
    }
}

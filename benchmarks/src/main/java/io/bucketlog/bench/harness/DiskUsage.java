package io.bucketlog.bench.harness;

import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a run left on disk: its size, and how many events it holds, counted by reading it back (an
 * asynchronous logger can lose events silently, so the harness never trusts its own count).
 */
public final class DiskUsage {
    private DiskUsage() {
    }

    static long bytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir, e);
        }
    }

    /** Lines (newline bytes) in every regular file under {@code dir}. */
    static long lines(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            long n = 0;
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                    while (ch.read(buf.clear()) > 0) {
                        byte[] a = buf.array();
                        for (int i = 0, end = buf.position(); i < end; i++) {
                            if (a[i] == '\n') {
                                n++;
                            }
                        }
                    }
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot count lines in " + dir, e);
        }
    }

    /** Events of {@code stream} in the store at {@code dir}, read back with a full scan. */
    static long storedEvents(Path dir, String stream) {
        try (Store store = Store.openExisting(List.of(dir));
             EventScan scan = store.scan(ScanRequest.all(stream))) {
            long n = 0;
            while (scan.hasNext()) {
                scan.next();
                n++;
            }
            if (!scan.corruptions().isEmpty()) {
                throw new IllegalStateException("the store at " + dir + " is damaged: "
                        + scan.corruptions());
            }
            return n;
        }
    }

    /** Deletes a directory tree, if it exists. */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}

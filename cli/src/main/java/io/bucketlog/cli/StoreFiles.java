package io.bucketlog.cli;

import io.bucketlog.CorruptionReport;
import io.bucketlog.backend.file.ContainedFiles;
import io.bucketlog.internal.store.FileLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Lists the files of a stream, across all directories of the store, window by window. A directory
 * that cannot be listed is reported with its path and the listing goes on with the others.
 */
final class StoreFiles {
    private StoreFiles() {
    }

    /** The files of one index window. */
    record Window(long start, List<Path> indexFiles, List<Path> bucketFiles) {
    }

    static List<Window> windows(FileLayout layout, String stream, Consumer<CorruptionReport> damage) {
        TreeMap<Long, Window> byStart = new TreeMap<>();
        for (int r = 0; r < layout.roots().size(); r++) {
            Path streamDir = layout.streamDir(r, stream);
            try (DirectoryStream<Path> windows = ContainedFiles.list(streamDir, ContainedFiles.IN_STREAM)) {
                for (Path w : windows) {
                    long start = FileLayout.parseWindowName(w.getFileName().toString());
                    if (start < 0) {
                        continue;
                    }
                    Window window = byStart.computeIfAbsent(start,
                            s -> new Window(s, new ArrayList<>(), new ArrayList<>()));
                    try (DirectoryStream<Path> files = ContainedFiles.list(w, ContainedFiles.IN_WINDOW)) {
                        for (Path f : files) {
                            String name = f.getFileName().toString();
                            if (FileLayout.parseIndexName(name) != null) {
                                window.indexFiles().add(f);
                            } else if (FileLayout.parseBucketName(name) != null) {
                                window.bucketFiles().add(f);
                            }
                        }
                    } catch (IOException e) {
                        damage.accept(new CorruptionReport(w, -1, "cannot list: " + e.getMessage()));
                    }
                }
            } catch (NoSuchFileException e) {
                // the stream has no data in this directory
            } catch (IOException e) {
                damage.accept(new CorruptionReport(streamDir, -1, "cannot list: " + e.getMessage()));
            }
        }
        for (Window w : byStart.values()) {
            w.indexFiles().sort(null);
            w.bucketFiles().sort(null);
        }
        return new ArrayList<>(byStart.values());
    }
}

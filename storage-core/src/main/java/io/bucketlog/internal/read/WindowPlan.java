package io.bucketlog.internal.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.backend.file.ContainedFiles;
import io.bucketlog.internal.store.FileLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The index windows a time range needs. Window names are computed from the range when it spans
 * few windows; an open-ended or very wide range lists the stream's directories instead, so that
 * "everything" or "latest N" visit only the windows that exist. A directory that cannot be listed
 * is reported, not thrown: a reader reads what it can.
 */
public final class WindowPlan {
    /** Above this many windows in the range, listing the stream directory is cheaper. */
    private static final long MAX_COMPUTED_WINDOWS = 1024;

    private WindowPlan() {
    }

    /** Window starts overlapping {@code [from, to)}, ascending. */
    public static long[] windows(FileLayout layout, String stream, long width, long from, long to,
                                 Consumer<CorruptionReport> reports) {
        if (to <= from) {
            return new long[0];
        }
        long first = Math.floorDiv(from, width) * width;
        long last = Math.floorDiv(to - 1, width) * width;
        if ((last - first) / width < MAX_COMPUTED_WINDOWS) {
            int n = (int) ((last - first) / width) + 1;
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = first + i * width;
            }
            return out;
        }
        TreeSet<Long> found = new TreeSet<>();
        for (int r = 0; r < layout.roots().size(); r++) {
            for (long start : existing(layout, r, stream, reports)) {
                if (start >= first && start <= last) {
                    found.add(start);
                }
            }
        }
        return found.stream().mapToLong(Long::longValue).toArray();
    }

    /** The window directories of a stream in one root, ascending. */
    public static TreeSet<Long> existing(FileLayout layout, int root, String stream,
                                         Consumer<CorruptionReport> reports) {
        TreeSet<Long> found = new TreeSet<>();
        Path dir = layout.streamDir(root, stream);
        try (DirectoryStream<Path> ds = ContainedFiles.list(dir, ContainedFiles.IN_STREAM)) {
            for (Path p : ds) {
                long start = FileLayout.parseWindowName(p.getFileName().toString());
                if (start >= 0) {
                    found.add(start);
                }
            }
        } catch (NoSuchFileException e) {
            // nothing written to this root yet
        } catch (IOException e) {
            reports.accept(new CorruptionReport(dir, -1, "cannot list: " + e));
        }
        return found;
    }
}

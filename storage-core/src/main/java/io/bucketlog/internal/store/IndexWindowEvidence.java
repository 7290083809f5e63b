package io.bucketlog.internal.store;

import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.CorruptDataException;
import io.bucketlog.internal.format.IndexHeader;
import io.bucketlog.spi.ReadableObject;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;

/**
 * The index window a stream's stored data was written with, as its index buckets' headers say.
 *
 * <p>Why: readers compute which window directories a time range needs from the index window in
 * {@code stream.conf}, so a {@code stream.conf} edited (or replaced) to another index window
 * sends every query by time to directories that do not exist, and a writer to new ones. Every
 * index bucket's header repeats the width it was written with ({@link IndexHeader}), which no
 * edit of {@code stream.conf} changes, so one header tells: read once per load of a stream's
 * configuration (it is cached), at the cost of listing the stream's directory and one or a few
 * window directories and reading one header.
 *
 * <p>A header counts as evidence only if it agrees with its place: its stream, and a window
 * start equal to its directory's and a multiple of its width. The newest {@value #WINDOWS_TRIED}
 * windows are tried (a window may hold only damaged or unreadable index files); a stream with no
 * such header yet gives no evidence, and its {@code stream.conf} stands.
 */
final class IndexWindowEvidence {
    static final int WINDOWS_TRIED = 3;

    private IndexWindowEvidence() {
    }

    /**
     * The index window in nanoseconds, or -1 if no index bucket of the stream tells.
     *
     * @param found takes the location of the index bucket it came from
     */
    static long find(StoreLayout layout, String stream, StringBuilder found) {
        TreeSet<Long> starts = new TreeSet<>();
        String prefix = StoreLayout.streamPrefix(stream);
        for (Storage volume : layout.volumes()) {
            for (String entry : list(volume, prefix)) {
                long start = StoreLayout.parseWindowEntry(entry);
                if (start >= 0) {
                    starts.add(start);
                }
            }
        }
        int tried = 0;
        for (long start : starts.descendingSet()) {
            if (tried++ == WINDOWS_TRIED) {
                break;
            }
            String window = StoreLayout.windowPrefix(stream, start);
            for (Storage volume : layout.volumes()) {
                for (String entry : list(volume, window)) {
                    if (entry.endsWith(StoreLayout.INDEX_SUFFIX)) {
                        long width = width(volume, window + entry, stream, start);
                        if (width > 0) {
                            found.append(volume.locationOf(window + entry));
                            return width;
                        }
                    }
                }
            }
        }
        return -1;
    }

    private static long width(Storage volume, String name, String stream, long start) {
        byte[] head = new byte[IndexHeader.MAX_BYTES];
        int n;
        try (ReadableObject o = volume.openRead(name)) {
            n = o.read(0, head, 0, head.length);
        } catch (IOException e) {
            return -1; // unreadable: readers report it where they read it
        }
        try {
            IndexHeader h = IndexHeader.readFrom(new ByteSource(head, 0, Math.max(n, 0)));
            boolean placed = h.stream().equals(stream) && h.windowStart() == start
                    && h.windowWidth() > 0 && Math.floorMod(start, h.windowWidth()) == 0;
            return placed ? h.windowWidth() : -1;
        } catch (CorruptDataException e) {
            return -1; // damaged: readers report it where they read it
        }
    }

    private static List<String> list(Storage volume, String prefix) {
        try {
            return volume.list(prefix);
        } catch (IOException e) {
            return List.of(); // readers report an unlistable directory where they list it
        }
    }
}

package io.bucketlog.internal.index;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.CorruptDataException;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.read.FrameScanner;
import io.bucketlog.internal.store.StoreObject;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads an index bucket's entries from a given offset, so that a caller following a growing file
 * (a tailer, a cache) reads each entry once. Damaged entries are reported and skipped; a torn last
 * entry ends the read and is read again next time, when it may be complete.
 */
public final class IndexFileReader {
    /**
     * The largest entry read: a sealed entry's Bloom filter of 16 MiB holds some ten million keys,
     * and a damaged length field must not make a reader allocate more.
     */
    public static final int MAX_ENTRY = 1 << 24;

    private IndexFileReader() {
    }

    /**
     * Where a read stopped: pass {@code nextOffset} to the next read of the same file.
     *
     * @param lastFrameOffset where the last valid entry frame read starts, or -1 if none was
     */
    public record Progress(long nextOffset, boolean headerValid, long lastFrameOffset) {
    }

    /**
     * Appends the entries at or after {@code offset} (0: from the start, header included) to
     * {@code out}.
     */
    public static Progress read(StoreObject object, long offset, List<IndexEntry> out,
                                Consumer<CorruptionReport> reports) throws IOException {
        try (ReadableObject ch = object.openRead()) {
            return read(ch, object.location(), offset, out, reports);
        }
    }

    /** {@link #read(StoreObject, long, List, Consumer)} from an object already open. */
    public static Progress read(ReadableObject ch, String path, long offset, List<IndexEntry> out,
                                Consumer<CorruptionReport> reports) throws IOException {
        long size = ch.size();
        long start = offset;
        boolean headerValid = true;
        if (offset == 0) {
            byte[] head = BucketFile.readAt(ch, 0, (int) Math.min(size, IndexHeader.MAX_BYTES));
            ByteSource in = new ByteSource(head, 0, head.length);
            try {
                IndexHeader.readFrom(in);
                start = in.position();
            } catch (CorruptDataException e) {
                headerValid = false;
                if (size > 0) {
                    reports.accept(new CorruptionReport(path, 0, "index header: " + e.getMessage()));
                }
            }
        }
        // A bad header was reported already: not again as the damaged frame it also is.
        Consumer<CorruptionReport> frameReports = headerValid ? reports
                : r -> {
                    if (r.offset() != 0) {
                        reports.accept(r);
                    }
                };
        FrameScanner scanner = new FrameScanner(ch, path, Frame.ENTRY_MAGIC, MAX_ENTRY, frameReports);
        long[] lastFrame = {-1};
        long end = scanner.scan(start, size, (at, body, off, len) -> {
            lastFrame[0] = at;
            try {
                ByteSource in = new ByteSource(body, off, len);
                out.add(IndexEntry.readFrom(in));
            } catch (CorruptDataException e) {
                reports.accept(new CorruptionReport(path, at, "index entry: " + e.getMessage()));
            }
        });
        return new Progress(end, headerValid, lastFrame[0]);
    }
}

package io.bucketlog.internal.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.backend.file.ContainedFiles;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.CorruptDataException;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
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
    private static final int MAX_ENTRY = 1 << 24;

    private IndexFileReader() {
    }

    /** Where a read stopped: pass {@code nextOffset} to the next read of the same file. */
    public record Progress(long nextOffset, boolean headerValid) {
    }

    /**
     * Appends the entries at or after {@code offset} (0: from the start, header included) to
     * {@code out}.
     */
    public static Progress read(Path path, long offset, List<IndexEntry> out,
                                Consumer<CorruptionReport> reports) throws IOException {
        try (FileChannel ch = ContainedFiles.openForReading(path, ContainedFiles.IN_WINDOW)) {
            long size = ch.size();
            long start = offset;
            boolean headerValid = true;
            if (offset == 0) {
                ByteBuffer b = ByteBuffer.allocate((int) Math.min(size, IndexHeader.MAX_BYTES));
                while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
                    // read until full or end of file
                }
                ByteSource in = new ByteSource(b.array(), 0, b.position());
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
            long end = scanner.scan(start, size, (at, body, off, len) -> {
                try {
                    ByteSource in = new ByteSource(body, off, len);
                    out.add(IndexEntry.readFrom(in));
                } catch (CorruptDataException e) {
                    reports.accept(new CorruptionReport(path, at, "index entry: " + e.getMessage()));
                }
            });
            return new Progress(end, headerValid);
        }
    }
}

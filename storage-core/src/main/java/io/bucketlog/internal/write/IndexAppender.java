package io.bucketlog.internal.write;

import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import io.bucketlog.spi.Storage;
import java.io.IOException;

/**
 * This writer's index bucket for one (stream, index window): created with its header on first use,
 * then one CRC-framed entry appended per event of a data bucket's life (see {@link IndexEntry}).
 * Only the bucket-writer thread touches it.
 */
final class IndexAppender implements AutoCloseable {
    private final AppendFile file;
    private final ByteSink scratch = new ByteSink(256);
    /** Data buckets of this index window that are open; the file closes when none are. */
    int openBuckets;

    private IndexAppender(AppendFile file) {
        this.file = file;
    }

    /**
     * Continues the index bucket at {@code closedAt}, the size this writer closed it at, if it
     * knows it (see {@link AppendFile#reopen(Storage, String, long)}), or at the size it has, or
     * creates it.
     */
    static IndexAppender openOrCreate(Storage storage, String name, IndexHeader header, Long closedAt)
            throws IOException {
        AppendFile file = closedAt != null ? AppendFile.reopen(storage, name, closedAt)
                : storage.stat(name).isPresent() ? AppendFile.reopen(storage, name)
                : AppendFile.create(storage, name);
        IndexAppender appender = new IndexAppender(file);
        // Empty: new, or left so by a header write that failed (a full disk cuts the file back).
        if (file.size() == 0) {
            try {
                header.writeTo(appender.scratch);
                file.append(appender.scratch);
            } catch (IOException e) {
                file.close();
                throw e;
            }
        }
        return appender;
    }

    /** Appends one entry; returns the bytes written. */
    int append(IndexEntry entry) throws IOException {
        scratch.clear();
        int at = Frame.open(scratch);
        entry.writeTo(scratch);
        Frame.close(scratch, at, Frame.ENTRY_MAGIC);
        file.append(scratch);
        return scratch.size();
    }

    AppendFile file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}

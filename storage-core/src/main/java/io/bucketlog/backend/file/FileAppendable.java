package io.bucketlog.backend.file;

import io.bucketlog.spi.AppendableObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file that only its creator appends to, written with positional writes at the size it tracks
 * itself. When a write fails part-way (a full disk), the file is cut back to its last good size so
 * that the next append does not land behind a torn frame; if even that fails, the file is marked
 * broken and its owner stops using it. Either way, what was written before stays readable.
 */
final class FileAppendable implements AppendableObject {
    private final String name;
    private final Path path;
    private final int levels;
    private final FileChannel channel;
    private long size;
    private boolean broken;
    private boolean unsynced;
    /** Whether the directories holding a new file were forced; a reopened file's were. */
    private boolean directoriesSynced;
    private boolean closed;

    FileAppendable(String name, Path path, int levels, FileChannel channel, long size,
                   boolean directoriesSynced) {
        this.name = name;
        this.path = path;
        this.levels = levels;
        this.channel = channel;
        this.size = size;
        this.directoriesSynced = directoriesSynced;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isBroken() {
        return broken;
    }

    @Override
    public void append(byte[] bytes, int offset, int length) throws IOException {
        if (broken) {
            throw new IOException(path + " is unusable after an earlier write error");
        }
        if (closed) {
            throw new IOException(path + " is closed");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, length);
        long pos = size;
        try {
            while (b.hasRemaining()) {
                pos += channel.write(b, pos);
            }
        } catch (IOException e) {
            try {
                channel.truncate(size);
            } catch (IOException truncateFailed) {
                e.addSuppressed(truncateFailed);
                broken = true;
            }
            throw e;
        }
        size = pos;
        unsynced = true;
    }

    /**
     * Forces written data to the device if anything was written since the last force, and the
     * first time, the directory entries that make a new file's name survive a power loss.
     */
    @Override
    public void sync() throws IOException {
        if (broken || closed) {
            return;
        }
        if (unsynced) {
            channel.force(false);
            unsynced = false;
        }
        if (!directoriesSynced) {
            DirectorySync.forceParents(path, levels);
            directoriesSynced = true;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}

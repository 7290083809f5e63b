package io.bucketlog.internal.write;

import io.bucketlog.backend.file.ContainedFiles;
import io.bucketlog.internal.format.ByteSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file that only this writer appends to, written with positional writes at the size it tracks
 * itself. When a write fails part-way (a full disk), the file is cut back to its last good size so
 * that the next append does not land behind a torn frame; if even that fails, the file is marked
 * broken and its owner stops using it. Either way, what was written before stays readable.
 */
final class AppendFile implements AutoCloseable {
    private final Path path;
    /** Null while parked. */
    private FileChannel channel;
    private long size;
    private boolean broken;
    private boolean unsynced;

    private AppendFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Creates a new file of a window directory, and the directories; fails if it exists. */
    static AppendFile create(Path path) throws IOException {
        FileChannel ch = ContainedFiles.createNew(path, ContainedFiles.IN_WINDOW);
        return new AppendFile(path, ch, 0);
    }

    /** Opens an existing file of this writer to append more. */
    static AppendFile reopen(Path path) throws IOException {
        FileChannel ch = ContainedFiles.openForWriting(path, ContainedFiles.IN_WINDOW);
        try {
            return new AppendFile(path, ch, ch.size());
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    boolean isBroken() {
        return broken;
    }

    /** Appends all of {@code data}. On failure the file keeps its previous content. */
    void append(ByteSink data) throws IOException {
        if (broken) {
            throw new IOException(path + " is unusable after an earlier write error");
        }
        ByteBuffer b = ByteBuffer.wrap(data.array(), 0, data.size());
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
     * Closes the channel but keeps the file's state; {@link #resume} reopens it. The caller syncs
     * first if its durability needs it: a parked file cannot be forced.
     */
    void park() throws IOException {
        FileChannel ch = channel;
        channel = null;
        if (ch != null) {
            ch.close();
        }
    }

    boolean isParked() {
        return channel == null;
    }

    /**
     * Reopens a parked file. It must have the size it had: only this writer appends to it, so
     * another size means someone else changed it, and it is not appended to again.
     */
    void resume() throws IOException {
        if (channel != null) {
            return;
        }
        FileChannel ch = ContainedFiles.openForWriting(path, ContainedFiles.IN_WINDOW);
        try {
            long now = ch.size();
            if (now != size) {
                throw new IOException(path + " has " + now + " bytes, not the " + size
                        + " this writer left; it is no longer appended to");
            }
        } catch (IOException e) {
            ch.close();
            broken = true;
            throw e;
        }
        channel = ch;
    }

    /** Forces written data to the device if anything was written since the last force. */
    void sync() throws IOException {
        if (unsynced && !broken && channel != null) {
            channel.force(false);
            unsynced = false;
        }
    }

    /**
     * Forces a new file's directory entry, and its window directory's, to the device: an fsync of
     * the file alone does not make the file itself survive a power loss.
     */
    static void syncDirectories(Path file) throws IOException {
        Path dir = file.getParent();
        for (int i = 0; i < 2 && dir != null; i++, dir = dir.getParent()) {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }

    @Override
    public void close() throws IOException {
        park();
    }
}

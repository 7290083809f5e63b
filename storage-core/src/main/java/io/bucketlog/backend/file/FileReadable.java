package io.bucketlog.backend.file;

import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** A file open for positional reads; it may grow while open. */
final class FileReadable implements ReadableObject {
    private final String name;
    private final Path path;
    private final FileChannel channel;

    FileReadable(String name, Path path, FileChannel channel) {
        this.name = name;
        this.path = path;
        this.channel = channel;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public int read(long position, byte[] into, int offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(into, offset, length);
        long pos = position;
        while (b.hasRemaining()) {
            int n = channel.read(b, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        return (int) (pos - position);
    }

    @Override
    public ObjectVersion version() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return FileStorage.version(name, a);
        } catch (NoSuchFileException e) {
            NoSuchObjectException gone = new NoSuchObjectException(path.toString());
            gone.initCause(e);
            throw gone;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

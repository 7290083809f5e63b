package io.bucketlog.internal.store;

import io.bucketlog.spi.NoSuchObjectException;
import io.bucketlog.spi.ReadableObject;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Reads a store's small properties objects ({@code stream.conf}, {@code store.properties}),
 * bounded to {@value #MAX_PROPERTIES_BYTES} bytes before anything is read: such files hold a few
 * short lines, and a damaged one (a huge file) must cost no memory.
 */
public final class SmallObjects {
    /** The most a store's properties object may hold. */
    public static final int MAX_PROPERTIES_BYTES = 64 * 1024;

    private SmallObjects() {
    }

    /**
     * Reads an object whole, refusing one larger than {@code maxBytes} before reading it.
     *
     * @throws io.bucketlog.spi.NoSuchObjectException if there is none
     */
    public static byte[] read(Storage storage, String name, int maxBytes) throws IOException {
        try (ReadableObject o = openRead(storage, name)) {
            long size = o.size();
            if (size > maxBytes) {
                throw new IOException(storage.locationOf(name) + ": is " + size
                        + " bytes, more than the " + maxBytes + " such a file may hold");
            }
            byte[] b = new byte[(int) size + 1];
            int n = o.read(0, b, 0, b.length);
            if (n > size) { // it grew while we read it
                throw new IOException(storage.locationOf(name) + ": grew past " + size
                        + " bytes while being read");
            }
            byte[] out = new byte[n];
            System.arraycopy(b, 0, out, 0, n);
            return out;
        }
    }

    /**
     * Whether there is an object of this name, or something else in its place (a directory
     * where a file should be): what the file's absence means depends on which.
     */
    public static boolean present(Storage storage, String name) throws IOException {
        return storage.stat(name).isPresent() || isPrefix(storage, name);
    }

    /**
     * Opens an object; a directory in its place is an error that says so, not a missing object:
     * a store whose {@code stream.conf} is a directory is damaged, not without the stream.
     */
    private static ReadableObject openRead(Storage storage, String name) throws IOException {
        try {
            return storage.openRead(name);
        } catch (NoSuchObjectException e) {
            if (isPrefix(storage, name)) {
                throw new IOException(storage.locationOf(name) + ": not a regular file (a"
                        + " directory, FIFO, device or socket): not opened", e);
            }
            throw e;
        }
    }

    private static boolean isPrefix(Storage storage, String name) throws IOException {
        int slash = name.lastIndexOf('/');
        String parent = slash < 0 ? "" : name.substring(0, slash + 1);
        return storage.list(parent).contains(name.substring(slash + 1) + "/");
    }

    /** Reads a properties object. */
    public static Properties readProperties(Storage storage, String name) throws IOException {
        byte[] bytes = read(storage, name, MAX_PROPERTIES_BYTES);
        Properties p = new Properties();
        try (Reader r = new StringReader(new String(bytes, StandardCharsets.UTF_8))) {
            p.load(r);
        } catch (IllegalArgumentException e) { // a malformed Unicode escape
            throw new IOException(storage.locationOf(name) + ": not a properties file: "
                    + e.getMessage());
        }
        return p;
    }
}

package io.bucketlog.backend.s3;

import io.bucketlog.spi.ObjectVersion;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * One growing object in a spool: its bytes from offset 0 in {@code NAME.data}, and in
 * {@code NAME.state} what of them is published, replaced atomically (written beside, then
 * renamed over) after each upload, so a crash leaves the record before or after an upload,
 * never half of one. A record behind the store (killed after an upload, before its record) is
 * caught up by the publisher without duplicates: a part is created with {@code If-None-Match},
 * and a part already there is compared with the spool's bytes before it is counted.
 *
 * <p>Appends come from the one writer thread; the publisher reads what is below {@link #size()}
 * and moves {@link #published()} on. Both are volatile; {@code synchronized} is only for the
 * waits of {@code sync()}.
 */
final class SpoolEntry {
    private final Path data;
    private final Path state;
    private final FileChannel channel;
    private final String name;
    private final String incarnation;
    private volatile long size;
    private volatile long published;
    private volatile boolean sealed;
    private volatile boolean wholeUploaded;
    private volatile boolean handleClosed;
    private volatile String failure;
    private boolean deleted;

    /** The publisher's last failure with it, for the message of a sync that times out. */
    volatile String lastError;

    // the publisher's own (its thread only)
    int failures;
    long nextAttemptNanos;
    long wholeUploadedNanos;

    private SpoolEntry(Path data, Path state, FileChannel channel, String name, String incarnation, long size,
                       long published, boolean sealed, boolean wholeUploaded) {
        this.data = data;
        this.state = state;
        this.channel = channel;
        this.name = name;
        this.incarnation = incarnation;
        this.size = size;
        this.published = published;
        this.sealed = sealed;
        this.wholeUploaded = wholeUploaded;
    }

    /** A new entry in {@code dir} for {@code name}, its first {@code published} bytes already in the store. */
    static SpoolEntry create(Path dir, String name, String incarnation, long published) throws IOException {
        String file = fileName(name);
        Path data = dir.resolve(file + ".data");
        FileChannel channel = FileChannel.open(data, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        SpoolEntry e = new SpoolEntry(data, dir.resolve(file + ".state"), channel, name, incarnation, 0, published,
                false, false);
        e.record();
        return e;
    }

    /** The entry a (dead) writer left as {@code statePath}, or null if its data is gone. */
    static SpoolEntry load(Path statePath) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(statePath, StandardCharsets.UTF_8)));
        String file = statePath.getFileName().toString();
        Path data = statePath.resolveSibling(file.substring(0, file.length() - ".state".length()) + ".data");
        FileChannel channel;
        try {
            channel = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            String name = ObjectNames.checkName(p.getProperty("name"));
            String incarnation = p.getProperty("incarnation");
            long published = Long.parseLong(p.getProperty("published"));
            if (incarnation == null || !incarnation.matches("[0-9a-f]{16}") || published < 0
                    || published > channel.size()) {
                throw new IllegalArgumentException("incarnation " + incarnation + ", published " + published);
            }
            return new SpoolEntry(data, statePath, channel, name, incarnation, channel.size(), published,
                    Boolean.parseBoolean(p.getProperty("sealed")), Boolean.parseBoolean(p.getProperty("whole")));
        } catch (IllegalArgumentException e) { // NumberFormatException too
            channel.close();
            throw new IOException(statePath + ": unreadable spool record (" + e.getMessage() + "); left as it is", e);
        }
    }

    /** A file name for {@code name}: '/' cannot be in one, '~' cannot be in a name. */
    private static String fileName(String name) {
        return name.replace('/', '~');
    }

    String name() {
        return name;
    }

    String incarnation() {
        return incarnation;
    }

    long size() {
        return size;
    }

    long published() {
        return published;
    }

    boolean sealed() {
        return sealed;
    }

    boolean wholeUploaded() {
        return wholeUploaded;
    }

    boolean handleClosed() {
        return handleClosed;
    }

    String failure() {
        return failure;
    }

    /**
     * Appends all of {@code bytes[offset, offset+length)}; if it fails, {@link #size()} is
     * unchanged and the caller {@linkplain #cutBack cuts the file back}.
     */
    void append(byte[] bytes, int offset, int length) throws IOException {
        long at = size;
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, length);
        while (b.hasRemaining()) {
            channel.write(b, at + b.position() - offset);
        }
        size = at + length;
    }

    /** Cuts the data file back to {@link #size()} after a failed append; false if even that failed. */
    boolean cutBack() {
        try {
            channel.truncate(size);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes bytes the store already has (a reopened object's), before any append. */
    void prefill(byte[] bytes, int length) throws IOException {
        append(bytes, 0, length);
    }

    byte[] read(long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        BucketClient.readFully(channel, b, position);
        return b.array();
    }

    FileChannel channel() {
        return channel;
    }

    /** Its spooled bytes as a readable object, for the format's scanners; closing it closes nothing. */
    ReadableObject reading() {
        return new Reading();
    }

    private final class Reading implements ReadableObject {
        @Override
        public String name() {
            return name;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read(long position, byte[] into, int offset, int length) throws IOException {
            int n = (int) Math.min(length, size - position);
            if (n <= 0) {
                return -1;
            }
            System.arraycopy(SpoolEntry.this.read(position, n), 0, into, offset, n);
            return n;
        }

        @Override
        public ObjectVersion version() {
            return new ObjectVersion(name, size, "spool");
        }

        @Override
        public void close() {
            // the entry's channel is its owner's to close
        }
    }

    /**
     * A dead writer's entry with its bytes from {@code from} on, none of them published, replaced
     * by {@code tail}: the data file is written beside and renamed over it, so a crash leaves the
     * old bytes or the new, never a mix. This entry is closed; the one returned is loaded afresh.
     */
    SpoolEntry rewrittenFrom(long from, byte[] tail) throws IOException {
        if (from < published || from > size) {
            throw new IllegalArgumentException("rewrite from " + from + " of " + size + ", " + published
                    + " published");
        }
        Path tmp = data.resolveSibling(data.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (long at = 0; at < from; ) {
                at += channel.transferTo(at, from - at, out);
            }
            ByteBuffer b = ByteBuffer.wrap(tail);
            while (b.hasRemaining()) {
                out.write(b, from + b.position());
            }
        }
        Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel.close();
        SpoolEntry reloaded = load(state);
        if (reloaded == null) {
            throw new NoSuchFileException(data.toString());
        }
        reloaded.markHandleClosed();
        return reloaded;
    }

    synchronized void publishedTo(long end) throws IOException {
        published = end;
        record();
        notifyAll();
    }

    synchronized void markSealed() throws IOException {
        sealed = true;
        record();
    }

    synchronized void markWholeUploaded() throws IOException {
        wholeUploaded = true;
        published = size;
        record();
        notifyAll();
    }

    synchronized void markHandleClosed() {
        handleClosed = true;
    }

    /** Gives a closed entry a handle again (a reopen); false if it was removed meanwhile. */
    synchronized boolean reattach() {
        if (deleted || sealed) {
            return false;
        }
        handleClosed = false;
        return true;
    }

    synchronized void fail(String why) {
        failure = why;
        notifyAll();
    }

    /** Waits until {@code end} bytes are published, the entry failed, or {@code nanos} passed. */
    synchronized boolean awaitPublished(long end, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (published < end && failure == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return published >= end;
    }

    private void record() throws IOException {
        String text = "name=" + name + "\nincarnation=" + incarnation + "\npublished=" + published
                + "\nsealed=" + sealed + "\nwhole=" + wholeUploaded + "\n";
        Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Removes its files, everything in them being in the store, unless a handle was reattached
     * meanwhile. Returns the bytes freed, or -1 if it stays.
     */
    synchronized long delete() throws IOException {
        if (!handleClosed) {
            return -1; // reopened meanwhile: it lives on
        }
        deleted = true;
        channel.close();
        Files.deleteIfExists(state);
        Files.deleteIfExists(data);
        return size;
    }

    void closeChannel() throws IOException {
        channel.close();
    }
}

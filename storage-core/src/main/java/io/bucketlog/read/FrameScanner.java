package io.bucketlog.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.format.ByteSource;
import io.bucketlog.format.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads the {@link Frame}s of one magic from a range of a file, in order, verifying each CRC.
 *
 * <p>A bad frame (wrong magic, impossible length, CRC mismatch) is handled by looking for the next
 * valid frame after it. If one exists, the bytes between are damage: reported and skipped. If none
 * does, the bad frame is a torn tail (a crash, or a write still in progress): the scan ends there
 * without a report, and {@link #scan} returns where the valid data ends so a tailer can resume
 * from it.
 */
final class FrameScanner {
    private static final int READ_AHEAD = 256 * 1024;

    /** Receives each valid frame; {@code body} is only valid during the call. */
    interface Visitor {
        void frame(long offset, byte[] body, int bodyOffset, int bodyLength);
    }

    private final FileChannel channel;
    private final Path path;
    private final int magic;
    private final int maxBody;
    private final Consumer<CorruptionReport> reports;
    private byte[] buf = new byte[0];
    private long bufStart;
    private int bufLen;
    long bytesRead;

    FrameScanner(FileChannel channel, Path path, int magic, int maxBody,
                 Consumer<CorruptionReport> reports) {
        this.channel = channel;
        this.path = path;
        this.magic = magic;
        this.maxBody = maxBody;
        this.reports = reports;
    }

    /** Visits the valid frames in {@code [start, end)}; returns the end of the last one. */
    long scan(long start, long end, Visitor visitor) throws IOException {
        long pos = start;
        long validEnd = start;
        while (pos + Frame.HEADER_BYTES <= end) {
            int bodyLen = validFrameAt(pos, end);
            if (bodyLen >= 0) {
                int at = fill(pos, Frame.HEADER_BYTES + bodyLen, end);
                visitor.frame(pos, buf, at + Frame.HEADER_BYTES, bodyLen);
                pos += Frame.HEADER_BYTES + bodyLen;
                validEnd = pos;
                continue;
            }
            long next = nextValidFrame(pos + 1, end);
            if (next < 0) {
                return validEnd; // torn tail
            }
            reports.accept(new CorruptionReport(path, pos, "damaged frame: " + (next - pos)
                    + " bytes skipped"));
            pos = next;
        }
        return validEnd;
    }

    /** The body length of a complete, valid frame at {@code pos}, or -1. */
    private int validFrameAt(long pos, long end) throws IOException {
        if (pos + Frame.HEADER_BYTES > end) {
            return -1;
        }
        int at = fill(pos, Frame.HEADER_BYTES, end);
        if (ByteSource.getInt(buf, at) != magic) {
            return -1;
        }
        int len = ByteSource.getInt(buf, at + 4);
        if (len < 0 || len > maxBody || pos + Frame.HEADER_BYTES + len > end) {
            return -1;
        }
        int crc = ByteSource.getInt(buf, at + 8);
        at = fill(pos, Frame.HEADER_BYTES + len, end);
        return Frame.crc(buf, at + Frame.HEADER_BYTES, len) == crc ? len : -1;
    }

    private long nextValidFrame(long from, long end) throws IOException {
        byte m0 = (byte) magic;
        for (long p = from; p + Frame.HEADER_BYTES <= end; p++) {
            int at = fill(p, 1, end);
            if (buf[at] == m0 && validFrameAt(p, end) >= 0) {
                return p;
            }
        }
        return -1;
    }

    /** Makes {@code [pos, pos + n)} available in {@code buf}; returns its index there. */
    private int fill(long pos, int n, long end) throws IOException {
        if (pos >= bufStart && pos + n <= bufStart + bufLen) {
            return (int) (pos - bufStart);
        }
        int want = (int) Math.min(Math.max(n, READ_AHEAD), end - pos);
        if (buf.length < want) {
            buf = new byte[want];
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, want);
        while (b.hasRemaining()) {
            int r = channel.read(b, pos + b.position());
            if (r < 0) {
                break;
            }
        }
        bufStart = pos;
        bufLen = b.position();
        bytesRead += bufLen;
        if (bufLen < n) {
            throw new IOException(path + " shrank while being read");
        }
        return 0;
    }
}

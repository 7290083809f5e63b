package io.bucketlog.internal.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.Frame;
import java.io.IOException;
import io.bucketlog.spi.ReadableObject;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Reads the {@link Frame}s of one magic from a range of a file, in order, verifying each CRC.
 *
 * <p>A bad frame (wrong magic, impossible length, CRC mismatch) is handled by looking for the next
 * valid frame after it. If one exists, the bytes between are damage: reported and skipped. If none
 * does, the bad frame is a torn tail (a crash, or a write still in progress): the scan ends there
 * without a report, and {@link #scan} returns where the valid data ends so a tailer can resume
 * from it.
 */
public final class FrameScanner {
    private static final int READ_AHEAD = 256 * 1024;

    /** Receives each valid frame; {@code body} is only valid during the call. */
    public interface Visitor {
        void frame(long offset, byte[] body, int bodyOffset, int bodyLength);
    }

    private final ReadableObject channel;
    private final String path;
    private final int magic;
    private final int maxBody;
    private final Consumer<CorruptionReport> reports;
    private byte[] buf = new byte[0];
    private long bufStart;
    private int bufLen;
    private long bytesRead;

    /** Bytes read from the object so far. */
    public long bytesRead() {
        return bytesRead;
    }

    public FrameScanner(ReadableObject channel, String path, int magic, int maxBody,
                 Consumer<CorruptionReport> reports) {
        this.channel = channel;
        this.path = path;
        this.magic = magic;
        this.maxBody = maxBody;
        this.reports = reports;
    }

    /**
     * Visits the valid frames in {@code [start, end)} of a file that may still be growing, and
     * returns where the last one ends; see {@link #scan(long, long, boolean, Visitor)}.
     */
    public long scan(long start, long end, Visitor visitor) throws IOException {
        return scan(start, end, false, visitor);
    }

    /**
     * Visits the valid frames in {@code [start, end)} and returns where the last one ends.
     *
     * <p>A frame whose header is right (magic, a possible length) but which runs past {@code end}
     * is a torn tail: the scan ends there. A frame's body may itself contain bytes that look like a
     * frame (an event's body is arbitrary), so a valid-looking frame inside it is believed only if
     * the torn frame's own CRC holds for the bytes up to it: then the torn frame was whole and
     * only its length field damaged. A bad frame that lies wholly before {@code end} is skipped to
     * the next valid frame. Skipped frames are reported as damage.
     *
     * @param endIsFinal whether nothing will ever be appended before {@code end} (the blocks of a
     *     sealed bucket end at its footer): then a torn or bad frame at the end is damage too, and
     *     is reported instead of waited for
     */
    public long scan(long start, long end, boolean endIsFinal, Visitor visitor) throws IOException {
        long pos = start;
        long validEnd = start;
        while (pos < end) {
            if (pos + Frame.HEADER_BYTES > end) {
                return tornTail(pos, end, endIsFinal, validEnd);
            }
            int bodyLen = validFrameAt(pos, end);
            if (bodyLen >= 0) {
                int at = fill(pos, Frame.HEADER_BYTES + bodyLen, end);
                if (at < 0) {
                    return validEnd; // the file shrank: a write was cut back
                }
                visitor.frame(pos, buf, at + Frame.HEADER_BYTES, bodyLen);
                pos += Frame.HEADER_BYTES + bodyLen;
                validEnd = pos;
                continue;
            }
            if (bodyLen == SHRANK) {
                return validEnd;
            }
            if (bodyLen == RUNS_PAST_END) {
                long next = nextFrameAfterWholeBody(pos, end);
                if (next < 0) {
                    return tornTail(pos, end, endIsFinal, validEnd);
                }
                // The frame's own CRC holds for the bytes up to the next valid frame: it is whole,
                // and only its length field is damaged.
                reports.accept(new CorruptionReport(path, pos, "damaged frame length: "
                        + (next - pos) + " bytes skipped"));
                pos = next;
                continue;
            }
            long next = nextValidFrame(pos + 1, end);
            if (next < 0) {
                return tornTail(pos, end, endIsFinal, validEnd);
            }
            reports.accept(new CorruptionReport(path, pos, "damaged frame: " + (next - pos)
                    + " bytes skipped"));
            pos = next;
        }
        return validEnd;
    }

    /**
     * The first valid frame after the frame at {@code pos} (which runs past the end) for which
     * that frame's own CRC holds over the bytes up to it, or -1: then the frame at {@code pos} is
     * whole and only its length field is damaged. One pass: the CRC is carried along byte by byte
     * and a candidate is checked only where it matches. Checking every candidate frame on its own
     * cost the square of the length, which a body made of fake frame headers turns into minutes.
     */
    private long nextFrameAfterWholeBody(long pos, long end) throws IOException {
        int at = fill(pos, Frame.HEADER_BYTES, end);
        if (at < 0) {
            return -1;
        }
        int expected = ByteSource.getInt(buf, at + 8);
        byte m0 = (byte) magic;
        CRC32C crc = new CRC32C();
        long last = Math.min(end - Frame.HEADER_BYTES, pos + Frame.HEADER_BYTES + (long) maxBody);
        for (long p = pos + Frame.HEADER_BYTES; p <= last; p++) {
            at = fill(p, 1, end);
            if (at < 0) {
                return -1;
            }
            byte b = buf[at];
            if (b == m0 && (int) crc.getValue() == expected && validFrameAt(p, end) >= 0) {
                return p;
            }
            crc.update(b);
        }
        return -1;
    }

    private long tornTail(long pos, long end, boolean endIsFinal, long validEnd) {
        if (endIsFinal) {
            reports.accept(new CorruptionReport(path, pos, "damaged frame: the last "
                    + (end - pos) + " bytes before the footer do not form a valid frame"));
        }
        return validEnd;
    }

    /** {@link #validFrameAt}: a frame with a plausible header that runs past the end. */
    private static final int RUNS_PAST_END = -2;
    /** {@link #validFrameAt}: the file is shorter than when the scan started. */
    private static final int SHRANK = -3;

    /**
     * The body length of a complete, valid frame at {@code pos}; -1 for a bad frame,
     * {@link #RUNS_PAST_END} or {@link #SHRANK}.
     */
    private int validFrameAt(long pos, long end) throws IOException {
        if (pos + Frame.HEADER_BYTES > end) {
            return RUNS_PAST_END;
        }
        int at = fill(pos, Frame.HEADER_BYTES, end);
        if (at < 0) {
            return SHRANK;
        }
        if (ByteSource.getInt(buf, at) != magic) {
            return -1;
        }
        int len = ByteSource.getInt(buf, at + 4);
        if (len < 0 || len > maxBody) {
            return -1;
        }
        if (pos + Frame.HEADER_BYTES + len > end) {
            return RUNS_PAST_END;
        }
        int crc = ByteSource.getInt(buf, at + 8);
        at = fill(pos, Frame.HEADER_BYTES + len, end);
        if (at < 0) {
            return SHRANK;
        }
        return Frame.crc(buf, at + Frame.HEADER_BYTES, len) == crc ? len : -1;
    }

    /**
     * The first valid frame in {@code [from, end)}, or -1. One pass reads each byte once and
     * carries a CRC state along ({@link RangeCrc}); every plausible header met is a candidate whose
     * CRC is computed from the states at its body's start and end when the pass gets there
     * ({@link FrameCandidates}). Checking each candidate on its own cost the sum of their lengths,
     * which a file of fake frame headers makes the square of its size. A pass holds a bounded
     * number of candidates; one that had to refuse some and found none of the others valid is
     * followed by another from the first refused.
     */
    private long nextValidFrame(long from, long end) throws IOException {
        long start = from;
        while (true) {
            long[] refused = {-1};
            long found = searchPass(start, end, refused);
            if (found >= 0 || refused[0] < 0) {
                return found;
            }
            start = refused[0];
        }
    }

    /**
     * One pass of {@link #nextValidFrame} from {@code from}; sets {@code refused[0]} to the first
     * candidate it could not hold. Every refused candidate lies after every held one, so a held
     * one found valid is the answer.
     */
    private long searchPass(long from, long end, long[] refused) throws IOException {
        byte m0 = (byte) magic;
        FrameCandidates candidates = new FrameCandidates();
        long best = -1;
        int state = 0;
        for (long p = from; ; p++) {
            candidates.bodiesStartAt(p, state);
            long valid = candidates.checkEndingAt(p, state);
            if (valid >= 0 && (best < 0 || valid < best)) {
                best = valid;
            }
            if (best >= 0 && candidates.firstUnchecked() >= best) {
                return best; // no earlier candidate is left to check
            }
            if (p >= end || (refused[0] >= 0 && candidates.isEmpty())) {
                return best;
            }
            int at = fill(p, 1, end);
            if (at < 0) {
                return -1;
            }
            byte b = buf[at];
            if (best < 0 && refused[0] < 0 && b == m0 && p + Frame.HEADER_BYTES <= end) {
                at = fill(p, Frame.HEADER_BYTES, end);
                if (at < 0) {
                    return -1;
                }
                int len = ByteSource.getInt(buf, at + 4);
                if (ByteSource.getInt(buf, at) == magic && len >= 0 && len <= maxBody
                        && p + Frame.HEADER_BYTES + len <= end) {
                    if (candidates.isFull()) {
                        refused[0] = p;
                    } else {
                        candidates.add(p, p + Frame.HEADER_BYTES + len, ByteSource.getInt(buf, at + 8));
                    }
                }
            }
            state = RangeCrc.update(state, b);
        }
    }

    /**
     * Makes {@code [pos, pos + n)} available in {@code buf}; returns its index there, or -1 if the
     * file no longer has those bytes (a failed write was cut back while we read).
     */
    private int fill(long pos, int n, long end) throws IOException {
        if (pos >= bufStart && pos + n <= bufStart + bufLen) {
            return (int) (pos - bufStart);
        }
        int want = (int) Math.min(Math.max(n, READ_AHEAD), end - pos);
        if (buf.length < want) {
            buf = new byte[want];
        }
        bufStart = pos;
        bufLen = channel.read(pos, buf, 0, want);
        bytesRead += bufLen;
        return bufLen < n ? -1 : 0;
    }
}

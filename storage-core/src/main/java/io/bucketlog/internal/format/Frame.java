package io.bucketlog.internal.format;

import java.util.zip.CRC32C;

/**
 * The CRC-framed unit in which data blocks and index entries are appended.
 *
 * <pre>
 *   offset  size  field
 *   0       4     magic      distinguishes block frames from index-entry frames, and lets a
 *                            reader find the next frame after a damaged one
 *   4       4     bodyLength bytes in body
 *   8       4     crc32c     CRC32C of body
 *   12      n     body
 * </pre>
 *
 * <p>A frame is appended with a single {@code write} call after it is fully built, so a crash
 * leaves at most one incomplete frame, and only at the end of a file. Readers treat a frame that
 * runs past the end of the file, or fails its CRC with no valid frame after it, as a torn tail:
 * the end of the data, not an error. A bad frame followed by a good one is damage: it is reported
 * and skipped.
 */
public final class Frame {
    public static final int HEADER_BYTES = 12;
    /** "BLK1" little-endian. */
    public static final int BLOCK_MAGIC = 0x314B4C42;
    /** "IDX1" little-endian. */
    public static final int ENTRY_MAGIC = 0x31584449;

    private Frame() {
    }

    /** Reserves room for a frame header; write the body after it, then call {@link #close}. */
    public static int open(ByteSink out) {
        return out.skip(HEADER_BYTES);
    }

    /** Fills in the header reserved at {@code at} for the body written since. */
    public static void close(ByteSink out, int at, int magic) {
        int bodyStart = at + HEADER_BYTES;
        int bodyLength = out.size() - bodyStart;
        out.putInt(at, magic);
        out.putInt(at + 4, bodyLength);
        out.putInt(at + 8, crc(out.array(), bodyStart, bodyLength));
    }

    public static int crc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }
}

package io.bucketlog.internal.format;

import io.bucketlog.Names;

/**
 * The header at offset 0 of an index bucket: one file per (stream, index window, writer), named
 * {@code index-<writerId>.idx}. Entries ({@link IndexEntry}) follow as frames with magic
 * {@link Frame#ENTRY_MAGIC}, appended by the writer in real time: a crash leaves at most a torn
 * last frame, which readers ignore.
 *
 * <pre>
 *   u32  magic          "BIX1"
 *   u16  formatVersion  1
 *   u16  reserved       0
 *   i64  windowStart    first nanosecond of the index window
 *   i64  windowWidth    nanoseconds
 *   str  writerId
 *   str  stream
 *   i32  crc32c         of all the bytes above
 * </pre>
 *
 * <p>What a crash of the writing process leaves: the header (or an empty file, which the writer
 * fills with a header if it opens the file again), whole entry frames, and possibly one partial
 * frame at the end. Each writer appends only to its own index bucket, so nothing is ever appended behind a
 * torn frame by another process.
 */
public record IndexHeader(long windowStart, long windowWidth, String writerId, String stream) {
    public static final int MAGIC = 0x31584942;
    public static final int VERSION = 1;
    public static final int MAX_BYTES = 4 + 2 + 2 + 16 + 2 * 5 + 64 + Names.MAX_STREAM_LENGTH + 4;

    public void writeTo(ByteSink out) {
        int start = out.size();
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeShort(0);
        out.writeLong(windowStart);
        out.writeLong(windowWidth);
        out.writeString(writerId);
        out.writeString(stream);
        out.writeInt(Frame.crc(out.array(), start, out.size() - start));
    }

    public static IndexHeader readFrom(ByteSource in) {
        int start = in.position();
        if (in.readInt() != MAGIC) {
            throw new CorruptDataException("not a Bucketlog index bucket (bad magic)");
        }
        int version = in.readShort();
        if (version != VERSION) {
            throw new CorruptDataException("unsupported index format version " + version);
        }
        in.readShort();
        long windowStart = in.readLong();
        long width = in.readLong();
        String writerId = in.readString(64);
        String stream = in.readString(Names.MAX_STREAM_LENGTH);
        int end = in.position();
        if (in.readInt() != Frame.crc(in.array(), start, end - start)) {
            throw new CorruptDataException("index header CRC mismatch");
        }
        if (width <= 0 || Names.streamProblem(stream) != null) {
            throw new CorruptDataException("index header fields out of range");
        }
        return new IndexHeader(windowStart, width, writerId, stream);
    }
}

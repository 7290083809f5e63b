package io.bucketlog.internal.format;

import io.bucketlog.Compression;
import io.bucketlog.Names;

/**
 * The header at offset 0 of every data bucket, written when the bucket is created and never
 * changed. It makes a bucket file self-describing: a reader needs no index to know what it holds.
 *
 * <pre>
 *   u32  magic            "BKT1"
 *   u16  formatVersion    1: the layout of this header; each block names its own format
 *   u8   codec            {@link Compression#code()} of the stream when the bucket was created
 *   u8   reserved         0
 *   i64  windowStart      first nanosecond of the bucket's window
 *   i64  windowWidth      nanoseconds
 *   i64  bucketSequence   the writer's bucket counter, also in the file name
 *   i64  sealKey          random per bucket; the trailer repeats it ({@link BucketTrailer})
 *   str  writerId         varint length + UTF-8
 *   str  stream
 *   i32  crc32c           of all the bytes above
 * </pre>
 * Blocks ({@link BlockBuilder}) follow directly; a sealed bucket ends with a footer
 * ({@link BucketFooter}) and a {@link BucketTrailer}.
 *
 * <p>What a crash of the writing process leaves: an empty file (killed between create and header),
 * a header and zero or more whole block frames, possibly followed by one partial frame or a partial
 * footer (killed mid-write). There is no trailer, so readers scan the blocks and stop at the torn
 * tail. The footer and trailer are appended in one write, and the index's "sealed" entry only after
 * it, so a bucket the index calls sealed but that lacks a valid trailer was damaged or truncated
 * later, and readers report it.
 */
public record BucketHeader(Compression codec, long windowStart, long windowWidth,
                           long bucketSequence, long sealKey, String writerId, String stream) {
    public static final int MAGIC = 0x31544B42;
    public static final int VERSION = 1;
    /** Upper bound on the encoded size, for readers that read the header in one go. */
    public static final int MAX_BYTES = 4 + 2 + 2 + 32 + 2 * 5 + 64 + Names.MAX_STREAM_LENGTH + 4;

    public void writeTo(ByteSink out) {
        int start = out.size();
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeByte(codec.code());
        out.writeByte(0);
        out.writeLong(windowStart);
        out.writeLong(windowWidth);
        out.writeLong(bucketSequence);
        out.writeLong(sealKey);
        out.writeString(writerId);
        out.writeString(stream);
        out.writeInt(Frame.crc(out.array(), start, out.size() - start));
    }

    /** Decodes a header from the start of {@code in}; leaves {@code in} after it. */
    public static BucketHeader readFrom(ByteSource in) {
        int start = in.position();
        if (in.readInt() != MAGIC) {
            throw new CorruptDataException("not a Bucketlog data bucket (bad magic)");
        }
        int version = in.readShort();
        if (version != VERSION) {
            throw new CorruptDataException("unsupported bucket format version " + version);
        }
        Compression codec = Compression.fromCode(in.readByte());
        in.readByte();
        long windowStart = in.readLong();
        long windowWidth = in.readLong();
        long seq = in.readLong();
        long sealKey = in.readLong();
        String writerId = in.readString(64);
        String stream = in.readString(Names.MAX_STREAM_LENGTH);
        int end = in.position();
        int crc = in.readInt();
        if (crc != Frame.crc(in.array(), start, end - start)) {
            throw new CorruptDataException("bucket header CRC mismatch");
        }
        if (codec == null || windowWidth <= 0 || seq < 0 || Names.streamProblem(stream) != null) {
            throw new CorruptDataException("bucket header fields out of range");
        }
        return new BucketHeader(codec, windowStart, windowWidth, seq, sealKey, writerId, stream);
    }
}

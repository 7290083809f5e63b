package io.bucketlog.format;

/**
 * The last {@value #BYTES} bytes of a sealed data bucket. Its presence, with a matching end magic,
 * a footer that ends right where it starts and a footer CRC that checks, is what makes a bucket
 * sealed; anything else is read as an open (or crashed) bucket by scanning its blocks.
 *
 * <pre>
 *   i64  footerOffset
 *   i32  footerLength
 *   i32  footerCrc32c
 *   u32  endMagic       "BKTE"
 * </pre>
 *
 * @param footerOffset where the footer starts
 * @param footerLength footer bytes
 * @param footerCrc CRC32C of the footer
 */
public record BucketTrailer(long footerOffset, int footerLength, int footerCrc) {
    public static final int BYTES = 20;
    public static final int END_MAGIC = 0x45544B42;

    public void writeTo(ByteSink out) {
        out.writeLong(footerOffset);
        out.writeInt(footerLength);
        out.writeInt(footerCrc);
        out.writeInt(END_MAGIC);
    }

    /**
     * Decodes the trailer from the last {@link #BYTES} bytes of a file of {@code fileSize} bytes,
     * or returns {@code null} if they are not a consistent trailer.
     */
    public static BucketTrailer parse(byte[] b, long fileSize) {
        ByteSource in = new ByteSource(b, 0, BYTES);
        long offset = in.readLong();
        int length = in.readInt();
        int crc = in.readInt();
        int magic = in.readInt();
        if (magic != END_MAGIC || length < 0 || offset < 0
                || offset + length + BYTES != fileSize) {
            return null;
        }
        return new BucketTrailer(offset, length, crc);
    }
}

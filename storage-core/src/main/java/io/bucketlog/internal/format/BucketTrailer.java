package io.bucketlog.internal.format;

/**
 * The last {@value #BYTES} bytes of a sealed data bucket. Its presence, with a matching end magic,
 * the header's seal key, a footer that ends right where it starts and a footer CRC that checks, is
 * what makes a bucket sealed; anything else is read as an open (or crashed) bucket by scanning its
 * blocks.
 *
 * <pre>
 *   i64  footerOffset
 *   i32  footerLength
 *   i32  footerCrc32c
 *   i64  sealKey        the random key of the bucket's header
 *   u32  endMagic       "BKTE"
 * </pre>
 *
 * <p>Why the key: the last bytes of an open bucket are event data, which a hostile program that
 * logs can choose. It could make them look like a trailer and a footer with a valid CRC (CRC is
 * not a cryptographic check), and a reader would then stop at a fake footer. It cannot guess the
 * 64 random bits that the writer put in the header.
 *
 * @param footerOffset where the footer starts
 * @param footerLength footer bytes
 * @param footerCrc CRC32C of the footer
 * @param sealKey the bucket header's seal key
 */
public record BucketTrailer(long footerOffset, int footerLength, int footerCrc, long sealKey) {
    public static final int BYTES = 28;
    public static final int END_MAGIC = 0x45544B42;

    public void writeTo(ByteSink out) {
        out.writeLong(footerOffset);
        out.writeInt(footerLength);
        out.writeInt(footerCrc);
        out.writeLong(sealKey);
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
        long sealKey = in.readLong();
        int magic = in.readInt();
        if (magic != END_MAGIC || length < 0 || offset < 0
                || offset + length + BYTES != fileSize) {
            return null;
        }
        return new BucketTrailer(offset, length, crc, sealKey);
    }
}

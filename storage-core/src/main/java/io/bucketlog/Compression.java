package io.bucketlog;

/** How the records of a block are compressed. Chosen per stream; recorded in every block. */
public enum Compression {
    /** Records stored as encoded, for streams whose bodies are already compressed. */
    NONE(0),
    /**
     * LZ4 block compression: fast enough that the bucket writer never falls behind on it, and a
     * key's read decompresses a block only as far as that key's records. The default of
     * {@link StreamConfig}, for timelines.
     */
    LZ4(1),
    /**
     * Zstandard (level 1, through zstd-jni's bundled native library): 0.5-0.65x of LZ4's bytes
     * on log records, compressed a little slower and decompressed as fast, but a block is
     * decompressed whole. Where the native library does not load, blocks of a zstd stream are
     * written in LZ4. The default of the logging appenders, whose streams are written once
     * and scanned.
     */
    ZSTD(2);

    private final int code;

    Compression(int code) {
        this.code = code;
    }

    /** The byte written into block headers. */
    public int code() {
        return code;
    }

    /** The codec for a byte read from a file, or {@code null} if the byte names none. */
    public static Compression fromCode(int code) {
        for (Compression c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}

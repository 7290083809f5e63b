package io.bucketlog;

/** How the records of a block are compressed. Chosen per stream; recorded in every block. */
public enum Compression {
    /** Records stored as encoded, for streams whose bodies are already compressed. */
    NONE(0),
    /** LZ4 block compression: fast enough that the bucket writer never falls behind on it. */
    LZ4(1);

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

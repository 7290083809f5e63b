package io.bucketlog.internal.format;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.util.Native;
import io.bucketlog.Compression;

/**
 * Zstandard for block payloads ({@link io.bucketlog.Compression#ZSTD}), through zstd-jni: one
 * self-contained zstd frame per block, of exactly the block's {@code uncompressedLength} bytes.
 *
 * <p>Level {@value #LEVEL}: on the logging harness's 64 KiB blocks it stored 0.118 of the payload
 * against LZ4's 0.317, and levels 2, 3 and 5 stored more (0.122, 0.128, 0.143) at a lower speed;
 * a store the appenders wrote took 0.51x of LZ4's block bytes (docs/PERFORMANCE.md, "Zstandard
 * for logging streams"). The one-shot calls make and free
 * their native context per block; a context kept per builder would be about a tenth faster, but
 * it holds native memory that nothing frees unless it is closed, and blocks are built by writers,
 * brigades and tools whose builders are simply dropped.
 *
 * <p>zstd-jni loads a native library it bundles for the common platforms. Where it cannot, this
 * codec says so ({@link #unavailableReason()}) instead of failing with a linkage error deep in a
 * write or a read, and the rest of the store works: LZ4 and uncompressed blocks need no native
 * code. zstd-jni cannot be relocated into our jar (its native symbols name its own packages), so
 * an application that has it already (Kafka clients do) shares one copy.
 */
public final class ZstdCodec {
    static final int LEVEL = 1;

    private ZstdCodec() {
    }

    /** Loads the native library once; {@code null} if it loaded, else why not. */
    private static final class Loaded {
        static final String PROBLEM = load();

        private static String load() {
            try {
                Native.load();
                return null;
            } catch (LinkageError | RuntimeException e) {
                return "zstd-jni's native library did not load on this platform ("
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                        + "): " + e;
            }
        }
    }

    /** Why zstd cannot be used in this JVM, or {@code null} if it can. */
    public static String unavailableReason() {
        return Loaded.PROBLEM;
    }

    /**
     * The codec to write new blocks of a stream configured with {@code configured}: itself, or
     * LZ4 for zstd where zstd cannot load. Every block names its codec, so a stream's buckets may
     * mix them, and a writer (or a brigade) on such a host keeps storing rather than losing every
     * block to a codec it cannot run.
     */
    public static Compression writable(Compression configured) {
        return configured == Compression.ZSTD && Loaded.PROBLEM != null ? Compression.LZ4
                : configured;
    }

    private static void requireAvailable() {
        String problem = Loaded.PROBLEM;
        if (problem != null) {
            throw new IllegalStateException("zstd-compressed blocks cannot be read or written: "
                    + problem);
        }
    }

    static int maxCompressedLength(int length) {
        requireAvailable();
        return Math.toIntExact(Zstd.compressBound(length));
    }

    /** Compresses {@code src} into {@code dest}; returns the compressed length. */
    static int compress(byte[] src, int srcOff, int srcLen, byte[] dest, int destOff, int destLen) {
        requireAvailable();
        long n = Zstd.compressByteArray(dest, destOff, destLen, src, srcOff, srcLen, LEVEL);
        if (Zstd.isError(n)) {
            // Only a destination smaller than compressBound can cause this: a bug, not bad data.
            throw new IllegalStateException("zstd: " + Zstd.getErrorName(n));
        }
        return (int) n;
    }

    /**
     * Decompresses one frame that must give exactly {@code destLen} bytes.
     *
     * @throws CorruptDataException if the bytes are no zstd frame or give another length
     */
    static void decompress(byte[] src, int srcOff, int srcLen, byte[] dest, int destOff,
                           int destLen) {
        requireAvailable();
        long n;
        try {
            n = Zstd.decompressByteArray(dest, destOff, destLen, src, srcOff, srcLen);
        } catch (ZstdException e) { // how zstd-jni reports most errors; some come as codes
            throw new CorruptDataException("zstd payload does not decode: " + e.getMessage());
        }
        if (Zstd.isError(n)) {
            throw new CorruptDataException("zstd payload does not decode: " + Zstd.getErrorName(n));
        }
        if (n != destLen) {
            throw new CorruptDataException("zstd payload has " + n + " bytes, its block says "
                    + destLen);
        }
    }
}

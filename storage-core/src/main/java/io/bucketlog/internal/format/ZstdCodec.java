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
 * for logging streams"). The one-shot calls make and free their native context per block; a
 * context kept per builder would be about a tenth faster, but it holds native memory that nothing
 * frees unless it is closed, and blocks are built by writers, brigades and tools whose builders
 * are simply dropped.
 *
 * <p>zstd-jni loads a native library it bundles for the common platforms. Where it cannot, or
 * where the jar itself is missing, this codec says so ({@link #unavailableReason()}) instead of
 * failing with a linkage error deep in a write or a read, and the rest of the store works: LZ4
 * and uncompressed blocks need no native code. zstd-jni cannot be relocated into our jar (its
 * native symbols name its own packages), so an application that has it already (Kafka clients
 * do) shares one copy.
 */
public final class ZstdCodec {
    static final int LEVEL = 1;

    private ZstdCodec() {
    }

    /** Loads zstd-jni once; {@code null} if it loaded, else why not. */
    private static final class Loaded {
        static final String PROBLEM = load();

        private static String load() {
            try {
                Jni.load();
                return null;
            } catch (NoClassDefFoundError e) {
                return "zstd-jni is missing from the class path: " + e;
            } catch (LinkageError | RuntimeException e) {
                return "zstd-jni's native library did not load on this platform ("
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                        + "): " + e;
            }
        }
    }

    /**
     * Every use of zstd-jni's classes, so that nothing else here links against them: without
     * the jar (an application that excluded the dependency), this class alone fails to load, and
     * {@link Loaded} turns that into a reason like a missing native library.
     */
    private static final class Jni {
        static void load() {
            Native.load();
        }

        static long compressBound(int length) {
            return Zstd.compressBound(length);
        }

        static int compress(byte[] src, int srcOff, int srcLen, byte[] dest, int destOff,
                            int destLen) {
            // zstd-jni throws a ZstdException for a destination smaller than compressBound: a
            // bug of ours, not bad data, so it is left to propagate.
            return Math.toIntExact(Zstd.compressByteArray(dest, destOff, destLen, src, srcOff,
                    srcLen, LEVEL));
        }

        static long decompress(byte[] src, int srcOff, int srcLen, byte[] dest, int destOff,
                               int destLen) {
            long n;
            try {
                n = Zstd.decompressByteArray(dest, destOff, destLen, src, srcOff, srcLen);
            } catch (ZstdException e) { // how zstd-jni reports most errors; some come as codes
                throw new CorruptDataException("zstd payload does not decode: " + e.getMessage());
            }
            if (Zstd.isError(n)) {
                throw new CorruptDataException("zstd payload does not decode: "
                        + Zstd.getErrorName(n));
            }
            return n;
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

    /**
     * What a writer or brigade says, once, when it writes a zstd stream's blocks in LZ4 here.
     *
     * @param buckets whose buckets they are ("this writer's new buckets")
     */
    public static String fallbackNotice(String stream, String buckets) {
        return "stream '" + stream + "' is configured for zstd, which cannot run here ("
                + Loaded.PROBLEM + "); " + buckets + " are LZ4-compressed, and nothing is lost";
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
        return Math.toIntExact(Jni.compressBound(length));
    }

    /** Compresses {@code src} into {@code dest}; returns the compressed length. */
    static int compress(byte[] src, int srcOff, int srcLen, byte[] dest, int destOff, int destLen) {
        requireAvailable();
        return Jni.compress(src, srcOff, srcLen, dest, destOff, destLen);
    }

    /**
     * Decompresses one frame that must give exactly {@code destLen} bytes.
     *
     * @throws CorruptDataException if the bytes are no zstd frame or give another length
     */
    static void decompress(byte[] src, int srcOff, int srcLen, byte[] dest, int destOff,
                           int destLen) {
        requireAvailable();
        long n = Jni.decompress(src, srcOff, srcLen, dest, destOff, destLen);
        if (n != destLen) {
            throw new CorruptDataException("zstd payload has " + n + " bytes, its block says "
                    + destLen);
        }
    }
}

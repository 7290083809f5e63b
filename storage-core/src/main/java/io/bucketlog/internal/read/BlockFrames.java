package io.bucketlog.internal.read;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.BlockDecoder;
import io.bucketlog.internal.format.Frame;
import java.io.IOException;
import io.bucketlog.spi.ReadableObject;
import java.util.function.Consumer;

/**
 * Reads the block frames of a data bucket from any offset, so that a caller following a growing
 * bucket (a tailer) reads each block once: it keeps the returned end and passes it as the next
 * start. The torn-tail and damage rules are {@link FrameScanner}'s.
 */
public final class BlockFrames {
    private BlockFrames() {
    }

    /** Receives each valid block frame; {@code body} is only valid during the call. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param offset file offset of the frame
         * @param frameLength bytes of the frame, header included
         * @param body the frame body (pass to {@link BlockDecoder})
         */
        void block(long offset, int frameLength, byte[] body, int bodyOffset, int bodyLength);
    }

    /**
     * Visits the valid block frames in {@code [start, end)} of {@code channel} in file order; damage is reported at {@code location}.
     *
     * @return where the valid frames end: a torn frame at the end is not included and is read
     *     again, possibly complete, by the next call from this offset
     */
    public static long scan(ReadableObject channel, String location, long start, long end,
                            Consumer<CorruptionReport> reports, Visitor visitor) throws IOException {
        return scan(channel, location, start, end, false, reports, visitor);
    }

    /**
     * {@link #scan(ReadableObject, String, long, long, Consumer, Visitor)}, where {@code endIsFinal}
     * says that nothing will be appended before {@code end} (the blocks of a sealed bucket end at
     * its footer, see {@link BucketFile#sealedBlocksEnd}): a bad frame at the end is then damage,
     * reported, instead of a torn tail to wait for.
     */
    public static long scan(ReadableObject channel, String location, long start, long end, boolean endIsFinal,
                            Consumer<CorruptionReport> reports, Visitor visitor) throws IOException {
        FrameScanner scanner = new FrameScanner(channel, location, Frame.BLOCK_MAGIC,
                BlockDecoder.MAX_UNCOMPRESSED, reports);
        return scanner.scan(start, end, endIsFinal, (offset, body, off, len) ->
                visitor.block(offset, Frame.HEADER_BYTES + len, body, off, len));
    }
}

package io.bucketlog.bench;

import io.bucketlog.Compression;
import io.bucketlog.StreamConfig;
import io.bucketlog.internal.format.BlockBuilder;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.Frame;
import java.util.Arrays;

/**
 * What {@link BlockBuilder} gives its codec for the logging harness's events
 * ({@link SampleLogEvent}), in blocks of the default size cut where the bucket writer cuts them:
 * the input of LZ4 on the bucket-writer thread.
 */
public final class HarnessBlockPayloads {
    private HarnessBlockPayloads() {
    }

    /** The payloads of the first {@code blocks} blocks, each its own array. */
    public static byte[][] payloads(int blocks) {
        int blockBytes = StreamConfig.DEFAULT_BLOCK_BYTES;
        BlockBuilder block = new BlockBuilder(blockBytes);
        ByteSink out = new ByteSink(2 * blockBytes);
        SampleLogEvent e = new SampleLogEvent();
        byte[][] payloads = new byte[blocks][];
        int done = 0;
        for (long i = 0; done < blocks; i++) {
            block.add(e.set(i, 1_764_000_000_000_000_000L), "writer", i, Integer.MAX_VALUE);
            if (block.estimatedBytes() >= blockBytes) {
                out.clear();
                block.finish(Compression.NONE, out);
                payloads[done++] = Arrays.copyOfRange(out.array(),
                        Frame.HEADER_BYTES + BlockBuilder.BODY_HEADER_BYTES, out.size());
            }
        }
        return payloads;
    }
}

package io.bucketlog.internal.write;

import io.bucketlog.Compression;
import io.bucketlog.StreamConfig;
import io.bucketlog.internal.format.BucketEncoder;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.BucketTrailer;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.RecordSource;
import io.bucketlog.internal.format.ZstdCodec;
import io.bucketlog.spi.Storage;
import java.io.IOException;
import java.security.SecureRandom;

/**
 * A data bucket this writer is appending to: one stream, one window, one writer.
 *
 * <p>Life: {@link #create} writes the header (the caller then appends the index's "opened" entry);
 * {@link #add} buffers events into the current block; {@link #writeBlock} appends the block as one
 * frame; {@link #seal} writes the last block, the footer and the trailer. After a failed write the
 * bucket is {@linkplain #isBroken() broken}: it is closed without a footer and readers read it by
 * scanning its blocks, like a crashed one.
 */
final class OpenBucket {
    private static final SecureRandom SEAL_KEYS = new SecureRandom();

    final StreamState stream;
    final long windowStart;
    final long sequence;
    final long indexWindowStart;
    /** A late bucket covers its whole index window; see {@link BucketWriter}. */
    final boolean late;
    /** The event time the bucket covers: its stream's bucket width, or index width when late. */
    final long widthNanos;
    private final AppendFile file;
    /** The header, with the seal key its trailer repeats ({@link BucketTrailer}); blocks; footer. */
    private final BucketEncoder encoder;
    private final String writerId;
    /** When the last event was added (the writer's monotonic clock). */
    long lastWriteNanos;
    /** When the first event of the current block was added (the writer's monotonic clock). */
    long pendingSinceNanos;
    /** Whether the bucket is in the writer's list of buckets with a pending block. */
    boolean dirty;
    /** Set once the bucket is sealed or abandoned: the writer no longer uses it. */
    boolean retired;

    private OpenBucket(StreamState stream, long windowStart, long sequence, long indexWindowStart,
                       boolean late, AppendFile file, BucketEncoder encoder) {
        this.encoder = encoder;
        this.writerId = encoder.header().writerId();
        this.stream = stream;
        this.windowStart = windowStart;
        this.sequence = sequence;
        this.indexWindowStart = indexWindowStart;
        this.late = late;
        this.widthNanos = late ? stream.indexWidth : stream.bucketWidth;
        this.file = file;
    }

    /** The codec of this bucket's blocks: the stream's, or LZ4 where zstd cannot run. */
    Compression codec() {
        return encoder.header().codec();
    }

    static OpenBucket create(StreamState stream, long windowStart, long sequence,
                             long indexWindowStart, boolean late, Storage storage, String name,
                             String writerId, ByteSink scratch) throws IOException {
        AppendFile file = AppendFile.create(storage, name);
        BucketHeader header = new BucketHeader(ZstdCodec.writable(stream.config.compression()),
                windowStart, late ? stream.indexWidth : stream.bucketWidth, sequence,
                SEAL_KEYS.nextLong(), writerId, stream.name);
        // A late bucket gets a few events at a time: its buffers start small and grow if needed.
        BucketEncoder encoder = new BucketEncoder(header, stream.config.blockBytes(),
                late ? StreamConfig.MIN_BLOCK_BYTES : stream.config.blockBytes(), false);
        try {
            scratch.clear();
            encoder.encodeHeader(scratch);
            file.append(scratch);
        } catch (IOException e) {
            try {
                file.delete();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return new OpenBucket(stream, windowStart, sequence, indexWindowStart, late, file, encoder);
    }

    /** Where it is, for messages. */
    String location() {
        return file.location();
    }

    AppendFile file() {
        return file;
    }

    boolean isBroken() {
        return file.isBroken();
    }

    /** Events added to the block not yet written. */
    int pendingCount() {
        return encoder.pendingCount();
    }

    /** Adds an event to the current block; returns its encoded size, or -1 if too large. */
    int add(RecordSource e, long seq, int maxEventBytes) {
        return encoder.add(e, writerId, seq, maxEventBytes);
    }

    boolean blockFull() {
        return encoder.blockFull();
    }

    /** Whether the bucket has reached its byte target (counting the pending block). */
    boolean full() {
        return file.size() + encoder.pendingBytes() / 2 >= stream.config.bucketBytes();
    }

    /**
     * Appends the pending block, if any.
     *
     * @return the events written
     */
    int writeBlock(ByteSink scratch) throws IOException {
        scratch.clear();
        int n = encoder.encodeBlock(scratch, file.size());
        if (n > 0) {
            file.append(scratch);
        }
        return n;
    }

    /**
     * Writes the pending block, the footer and the trailer, and closes the file.
     *
     * @return the index entry announcing the seal
     */
    IndexEntry.Sealed seal(ByteSink scratch, boolean sync) throws IOException {
        writeBlock(scratch);
        scratch.clear();
        IndexEntry.Sealed sealed = encoder.encodeSeal(scratch, file.size());
        file.append(scratch);
        if (sync) {
            file.sync();
        }
        file.seal();
        return sealed;
    }

    /**
     * Closes the file (its pending block must have been written), keeping what a later
     * {@link #resume} needs to continue it: a writer with many late buckets holds a descriptor and
     * block buffers only for those it is writing.
     */
    void park() throws IOException {
        encoder.shrinkBlockBuffers(StreamConfig.MIN_BLOCK_BYTES);
        file.park();
    }

    boolean isParked() {
        return file.isParked();
    }

    /** Reopens a parked bucket to append to it. */
    void resume() throws IOException {
        file.resume();
    }

    /** Closes the file without sealing, after a write error. */
    void abandon() {
        try {
            file.close();
        } catch (IOException ignored) {
            // the bucket is already unusable; closing is best effort
        }
    }
}

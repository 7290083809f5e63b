package io.bucketlog.internal.write;

import io.bucketlog.Event;
import io.bucketlog.internal.format.BlockDecoder;
import io.bucketlog.internal.format.BucketEncoder;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.EventRecord;
import io.bucketlog.internal.format.TimeSlices;
import io.bucketlog.spi.AppendableObject;
import java.io.IOException;

/**
 * Writes a complete, sealed data bucket from events that are already in the order it should hold,
 * each keeping its own {@link io.bucketlog.EventId}: what the brigade makes of a window's buckets.
 * Encoding is {@link BucketEncoder}'s, the bucket writer's; this only feeds it and appends.
 *
 * <p>Life: {@link #create} appends the header; {@link #add} appends a block whenever one is full;
 * {@link #seal} appends the last block, the footer and the trailer, and seals the object. The
 * bucket is complete only then: until its index commit names it, no reader relies on it, so a
 * writer that fails or is {@linkplain #close() closed} early leaves an object to delete, never a
 * wrong one. Not thread-safe.
 *
 * <p>With {@link TimeSlices}, events come in (slice, key, timestamp, writer, sequence) order and a
 * block is cut wherever the slice changes, so every block lies in one slice (footer format 2).
 */
public final class SealedBucketWriter implements AutoCloseable {
    private final AppendableObject out;
    private final BucketEncoder encoder;
    private final BucketHeader header;
    private final ByteSink scratch;
    private final EventRecord record = new EventRecord();
    private final TimeSlices slices;
    /** The slice of the pending block's events, when sliced and a block is pending. */
    private long pendingSlice;
    private boolean sealed;

    private SealedBucketWriter(AppendableObject out, BucketEncoder encoder, int blockBytes,
                               TimeSlices slices) {
        this.out = out;
        this.encoder = encoder;
        this.slices = slices;
        if (slices != null) {
            encoder.timeSlices(slices);
        }
        this.header = encoder.header();
        this.scratch = new ByteSink(blockBytes + blockBytes / 4);
    }

    /**
     * Starts a bucket in {@code out}, an empty object, by appending {@code header}.
     *
     * @param blockBytes the uncompressed size at which a block is written
     * @param keyOrdered whether events come in (key, timestamp, writer, sequence) order, which
     *        {@link #add} then checks and every block's flag tells readers
     */
    public static SealedBucketWriter create(AppendableObject out, BucketHeader header, int blockBytes,
                                            boolean keyOrdered) throws IOException {
        return create(out, header, blockBytes, keyOrdered, null);
    }

    /**
     * Starts a bucket as {@link #create(AppendableObject, BucketHeader, int, boolean)} does, cut
     * into {@code slices}: events must then come in slice order, and within a slice in the order
     * {@code keyOrdered} says.
     *
     * @param slices the time slices, or {@code null} for a bucket without (footer format 1)
     */
    public static SealedBucketWriter create(AppendableObject out, BucketHeader header, int blockBytes,
                                            boolean keyOrdered, TimeSlices slices)
            throws IOException {
        if (out.size() != 0) {
            throw new IllegalArgumentException(out.name() + " is not empty");
        }
        SealedBucketWriter w = new SealedBucketWriter(out,
                new BucketEncoder(header, blockBytes, blockBytes, keyOrdered), blockBytes, slices);
        w.scratch.clear();
        w.encoder.encodeHeader(w.scratch);
        out.append(w.scratch.array(), 0, w.scratch.size());
        return w;
    }

    /**
     * Adds an event with its own id; appends the pending block when it is full.
     *
     * @throws IllegalArgumentException if the event is of another stream, outside the header's
     *         window, or (when key-ordered) not after the previous event
     * @throws IllegalStateException if it is in a slice before the previous event's
     */
    public void add(Event e) throws IOException {
        if (sealed) {
            throw new IllegalStateException("sealed");
        }
        if (!e.stream().equals(header.stream())) {
            throw new IllegalArgumentException("event of stream " + e.stream() + " in a bucket of "
                    + header.stream());
        }
        long ts = e.timestampNanos();
        if (ts < header.windowStart() || ts - header.windowStart() >= header.windowWidth()) {
            throw new IllegalArgumentException("event at " + ts + " outside the bucket's window "
                    + header.windowStart() + " + " + header.windowWidth());
        }
        if (slices != null) {
            long slice = slices.sliceOf(ts);
            if (encoder.pendingCount() > 0 && slice != pendingSlice) {
                writeBlock(); // a block lies in one slice
            }
            pendingSlice = slice;
        }
        record.of(e);
        int limit = BlockDecoder.MAX_UNCOMPRESSED - encoder.pendingBytes();
        if (encoder.add(record, e.id().writerId(), e.id().sequence(), limit) < 0) {
            writeBlock();
            if (encoder.add(record, e.id().writerId(), e.id().sequence(), BlockDecoder.MAX_UNCOMPRESSED) < 0) {
                throw new IllegalArgumentException("event " + e.id() + " does not fit in a block");
            }
        }
        if (encoder.blockFull()) {
            writeBlock();
        }
    }

    private void writeBlock() throws IOException {
        scratch.clear();
        if (encoder.encodeBlock(scratch, out.size()) > 0) {
            out.append(scratch.array(), 0, scratch.size());
        }
    }

    /**
     * Appends the last block, the footer and the trailer, makes the object durable when
     * {@code sync}, and {@linkplain AppendableObject#seal() seals} it.
     *
     * @return the index entry that announces the sealed bucket
     */
    public IndexEntry.Sealed seal(boolean sync) throws IOException {
        if (sealed) {
            throw new IllegalStateException("sealed");
        }
        writeBlock();
        scratch.clear();
        IndexEntry.Sealed entry = encoder.encodeSeal(scratch, out.size());
        out.append(scratch.array(), 0, scratch.size());
        if (sync) {
            out.sync();
        }
        sealed = true;
        out.seal();
        return entry;
    }

    /** Releases the object; one not sealed is left incomplete, for the caller to delete. */
    @Override
    public void close() throws IOException {
        if (!sealed) {
            sealed = true;
            out.close();
        }
    }
}

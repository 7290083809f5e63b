package io.bucketlog.internal.format;

/**
 * Encodes one data bucket as it is appended: its {@link BucketHeader}, its blocks (each recorded
 * for the footer) and, at seal, its {@link BucketFooter} and {@link BucketTrailer}. It does no I/O:
 * each step encodes into a sink the caller then appends, so the bucket writer (a file that grows
 * block by block) and the brigade (a sealed bucket written in one go) share one encoding.
 * Not thread-safe.
 */
public final class BucketEncoder {
    private final BucketHeader header;
    private final int blockBytes;
    private final boolean keyOrdered;
    private TimeSlices slices;
    private long lastSlice = Long.MIN_VALUE;
    private BlockBuilder block;
    private final FooterBuilder footer = new FooterBuilder();
    private long count;
    private long minTs = Long.MAX_VALUE;
    private long maxTs = Long.MIN_VALUE;

    /**
     * @param blockBytes the block size target: {@link #blockFull()} says when it is reached
     * @param bufferBytes the size the block buffers start at (they grow as needed)
     * @param keyOrdered whether records are added in (key, timestamp, writer, sequence) order,
     *        which {@link #add} then checks and every block's flag says
     */
    public BucketEncoder(BucketHeader header, int blockBytes, int bufferBytes, boolean keyOrdered) {
        this.header = header;
        this.blockBytes = blockBytes;
        this.keyOrdered = keyOrdered;
        this.block = new BlockBuilder(bufferBytes, keyOrdered);
    }

    public BucketHeader header() {
        return header;
    }

    /**
     * Makes this a bucket cut into {@code slices} (footer format 2): each block must then lie in
     * one slice, blocks in slice order, which {@link #encodeBlock} checks; the caller cuts blocks
     * where slices change. Only before the first event.
     */
    public void timeSlices(TimeSlices slices) {
        if (count > 0 || !block.isEmpty()) {
            throw new IllegalStateException("events were added before the slices were set");
        }
        this.slices = slices;
    }

    /** Encodes the header, the bucket's first bytes. */
    public void encodeHeader(ByteSink out) {
        header.writeTo(out);
    }

    /**
     * Adds an event to the pending block; see {@link BlockBuilder#add}.
     *
     * @return its encoded size, or -1 if it exceeds {@code maxRecordBytes} (nothing is added)
     */
    public int add(RecordSource e, String writerId, long sequence, int maxRecordBytes) {
        // Hashed once for the block's dictionary and the footer's key table: a key in a buffer
        // (the timeline harness's) is hashed char by char.
        CharSequence key = e.key();
        int hash = InternTable.hash(key);
        int size = block.add(e, key, hash, writerId, sequence, maxRecordBytes);
        if (size >= 0) {
            footer.addEvent(key, hash, e.timestampNanos());
        }
        return size;
    }

    /** Events in the pending block. */
    public int pendingCount() {
        return block.count();
    }

    /** About the uncompressed bytes of the pending block. */
    public int pendingBytes() {
        return block.estimatedBytes();
    }

    public boolean blockFull() {
        return block.estimatedBytes() >= blockBytes;
    }

    /**
     * Encodes the pending block, if any, as a frame appended to {@code out}, to be written at
     * {@code offset} in the bucket, and records it for the footer.
     *
     * @return the events in it (0 if there was no pending block, and nothing is encoded)
     */
    public int encodeBlock(ByteSink out, long offset) {
        if (block.isEmpty()) {
            return 0;
        }
        int n = block.count();
        long min = block.minTimestamp();
        long max = block.maxTimestamp();
        if (slices != null && (slices.sliceOf(min) != slices.sliceOf(max)
                || (lastSlice != Long.MIN_VALUE && slices.sliceOf(min) < lastSlice))) {
            throw new IllegalStateException("a block of a sliced bucket spans slices or goes back");
        }
        if (slices != null) {
            lastSlice = slices.sliceOf(min);
        }
        int length = block.finish(header.codec(), out);
        footer.addBlock(new BlockEntry(offset, length, min, max, n));
        count += n;
        minTs = Math.min(minTs, min);
        maxTs = Math.max(maxTs, max);
        return n;
    }

    /**
     * Replaces the (empty) block builder by one whose buffers start at {@code bufferBytes}: a
     * bucket set aside for a while holds no large buffers.
     */
    public void shrinkBlockBuffers(int bufferBytes) {
        if (!block.isEmpty()) {
            throw new IllegalStateException("a block is pending");
        }
        block = new BlockBuilder(bufferBytes, keyOrdered);
    }

    /**
     * Encodes the footer and trailer (one append, so a crash leaves either both or a torn tail),
     * to be written at {@code footerOffset}, the bucket's size so far. The pending block must have
     * been encoded.
     *
     * @return the index entry that announces the seal
     */
    public IndexEntry.Sealed encodeSeal(ByteSink out, long footerOffset) {
        if (!block.isEmpty()) {
            throw new IllegalStateException("encode the pending block first");
        }
        int start = out.size();
        BloomFilter bloom = footer.writeTo(out, slices);
        int footerLength = out.size() - start;
        int crc = Frame.crc(out.array(), start, footerLength);
        new BucketTrailer(footerOffset, footerLength, crc, header.sealKey()).writeTo(out);
        long min = count == 0 ? header.windowStart() : minTs;
        long max = count == 0 ? header.windowStart() : maxTs;
        return new IndexEntry.Sealed(header.bucketSequence(), min, max, count,
                footerOffset + out.size() - start, footerOffset, bloom);
    }
}

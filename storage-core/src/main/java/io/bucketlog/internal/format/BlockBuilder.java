package io.bucketlog.internal.format;

import io.bucketlog.Compression;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Accumulates events into one block and encodes it as a {@link Frame} with magic
 * {@link Frame#BLOCK_MAGIC}.
 *
 * <h2>Block body</h2>
 * <pre>
 *   u8   codec              {@link Compression#code()}
 *   i32  uncompressedLength bytes of the payload before compression
 *   i32  count              records in the block
 *   i64  minTimestamp       nanoseconds since the epoch
 *   i64  maxTimestamp
 *   ...  payload, compressed with codec
 * </pre>
 *
 * <h2>Payload (before compression)</h2>
 * <pre>
 *   varint dictionarySize, then that many strings (varint length, UTF-8): keys, attribute names
 *          and short attribute values, each stored once per block
 *   records, in append order:
 *     zigzag  timestamp - previous record's timestamp (the first: - 0)
 *     varlong sequence - previous record's sequence (the first: - 0); sequences only grow
 *     varint  key: dictionary index
 *     varint  attributeCount, then per attribute:
 *               varint name: dictionary index
 *               varint value: (index &lt;&lt; 1) for a dictionary string, or
 *                             (length &lt;&lt; 1 | 1) followed by that many UTF-8 bytes
 *     varint  bodyLength, then the body bytes
 * </pre>
 * Records are not sorted: a block holds events in the order the writer received them, and readers
 * sort each block they decode. The writer id is not repeated per record: it is in the bucket
 * header.
 */
public final class BlockBuilder {
    /** Bytes of the block body before the payload. */
    public static final int BODY_HEADER_BYTES = 1 + 4 + 4 + 8 + 8;
    /** Attribute values up to this many chars go to the dictionary; longer ones are inline. */
    static final int MAX_DICTIONARY_VALUE = 64;

    // Pure Java: the relocated lz4-java in our jar has no native library (storage-core/pom.xml).
    private static final LZ4Compressor LZ4 = LZ4Factory.safeInstance().fastCompressor();

    private final InternTable dictionary = new InternTable();
    private final int initialBytes;
    private ByteSink records;
    private ByteSink payload;
    private int count;
    /** Encoded size of the dictionary so far (an upper bound: 5 bytes per length prefix). */
    private long dictionaryBytes;
    private long minTs;
    private long maxTs;
    private long prevTs;
    private long prevSeq;

    public BlockBuilder(int blockBytes) {
        initialBytes = blockBytes + blockBytes / 4;
        records = new ByteSink(initialBytes);
        payload = new ByteSink(initialBytes);
        reset();
    }

    private void reset() {
        // A block that a large event grew gives its buffers back: every open bucket has a builder,
        // and a buffer kept at that size would pin it until the bucket seals.
        if (records.capacity() > 2 * initialBytes) {
            records = new ByteSink(initialBytes);
        }
        if (payload.capacity() > 2 * initialBytes) {
            payload = new ByteSink(initialBytes);
        }
        dictionary.clear();
        dictionaryBytes = 0;
        records.clear();
        count = 0;
        minTs = Long.MAX_VALUE;
        maxTs = Long.MIN_VALUE;
        prevTs = 0;
        prevSeq = 0;
    }

    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Uncompressed bytes so far: records and dictionary, a little above the final payload size. */
    public int estimatedBytes() {
        return (int) Math.min(Integer.MAX_VALUE, records.size() + dictionaryBytes);
    }

    public long minTimestamp() {
        return minTs;
    }

    public long maxTimestamp() {
        return maxTs;
    }

    /**
     * Adds an event. Returns its encoded size (its record plus the dictionary strings it added),
     * or -1 (and adds nothing) if that exceeds {@code maxRecordBytes}. If reading the event throws,
     * nothing is added either and the exception propagates: a half-written record would shift
     * every record after it.
     */
    public int add(RecordSource e, long sequence, int maxRecordBytes) {
        int start = records.size();
        int dictStart = dictionary.size();
        long dictBytesStart = dictionaryBytes;
        long ts = e.timestampNanos();
        try {
            records.writeZigZag(ts - prevTs);
            records.writeVarLong(sequence - prevSeq);
            records.writeVarInt(ref(e.key()));
            int attrs = e.attributeCount();
            records.writeVarInt(attrs);
            for (int i = 0; i < attrs; i++) {
                records.writeVarInt(ref(e.attributeName(i)));
                CharSequence v = e.attributeValue(i);
                if (v.length() <= MAX_DICTIONARY_VALUE) {
                    records.writeVarInt(ref(v) << 1);
                } else {
                    int len = ByteSink.utf8Length(v);
                    records.writeVarLong(((long) len << 1) | 1);
                    records.encodeUtf8(v, len);
                }
            }
            CharSequence text = e.textBody();
            if (text != null) {
                records.writeUtf8(text);
            } else {
                records.writeVarInt(e.bodyLength());
                records.writeBytes(e.bodyBytes(), 0, e.bodyLength());
            }
        } catch (RuntimeException | Error failure) {
            undo(start, dictStart, dictBytesStart);
            throw failure;
        }
        long size = records.size() - start + (dictionaryBytes - dictBytesStart);
        if (size > maxRecordBytes) {
            undo(start, dictStart, dictBytesStart);
            return -1;
        }
        count++;
        prevTs = ts;
        prevSeq = sequence;
        minTs = Math.min(minTs, ts);
        maxTs = Math.max(maxTs, ts);
        return (int) size;
    }

    /** The dictionary index of {@code s}, adding it (and counting its bytes) if new. */
    private int ref(CharSequence s) {
        int before = dictionary.size();
        int id = dictionary.intern(s);
        if (id == before) {
            dictionaryBytes += ByteSink.utf8Length(s) + 5;
        }
        return id;
    }

    private void undo(int recordsSize, int dictionarySize, long dictBytes) {
        records.truncate(recordsSize);
        dictionary.truncate(dictionarySize);
        dictionaryBytes = dictBytes;
    }

    /**
     * Encodes the block as a frame appended to {@code out} and starts a new, empty block.
     *
     * @return the frame's length in bytes
     */
    public int finish(Compression codec, ByteSink out) {
        if (count == 0) {
            throw new IllegalStateException("empty block");
        }
        payload.clear();
        payload.writeVarInt(dictionary.size());
        for (int i = 0; i < dictionary.size(); i++) {
            payload.writeUtf8(dictionary.get(i));
        }
        payload.writeBytes(records.array(), 0, records.size());

        int frameStart = Frame.open(out);
        out.writeByte(codec.code());
        out.writeInt(payload.size());
        out.writeInt(count);
        out.writeLong(minTs);
        out.writeLong(maxTs);
        switch (codec) {
            case NONE -> out.writeBytes(payload.array(), 0, payload.size());
            case LZ4 -> {
                int max = LZ4.maxCompressedLength(payload.size());
                out.ensureCapacity(max);
                int at = out.size();
                int n = LZ4.compress(payload.array(), 0, payload.size(), out.array(), at, max);
                out.skip(n);
            }
            default -> throw new IllegalStateException("codec " + codec);
        }
        Frame.close(out, frameStart, Frame.BLOCK_MAGIC);
        reset();
        return out.size() - frameStart;
    }
}

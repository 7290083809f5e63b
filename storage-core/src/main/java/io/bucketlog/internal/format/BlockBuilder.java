package io.bucketlog.internal.format;

import io.bucketlog.Compression;
import java.util.Arrays;

/**
 * Accumulates events into one block and encodes it as a {@link Frame} with magic
 * {@link Frame#BLOCK_MAGIC}. Writes block format {@value #FORMAT} only; {@link BlockDecoder} also
 * reads format 1.
 *
 * <h2>Block body</h2>
 * <pre>
 *   u8   format | codec     high four bits: the block format, {@value #FORMAT}; low four bits:
 *                           {@link Compression#code()}. Format 1 wrote the codec alone (high bits 0)
 *   u8   flags              bit 0: records are ordered by (key, timestamp, writer, sequence);
 *                           other bits 0 (format 2 only)
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
 *   varint writerCount (at least 1), then that many writer ids (varint length, UTF-8)
 *   records, in append order (or the flag's order):
 *     varint  writer: index into the writer table; only present when writerCount &gt; 1
 *     zigzag  timestamp - previous record's timestamp (the first: - 0)
 *     zigzag  sequence - the same writer's previous sequence in this block (its first: - 0)
 *     varint  key: dictionary index
 *     varint  attributeCount, then per attribute:
 *               varint name: dictionary index
 *               varint value: (index &lt;&lt; 1) for a dictionary string, or
 *                             (length &lt;&lt; 1 | 1) followed by that many UTF-8 bytes
 *     varint  bodyLength, then the body bytes
 * </pre>
 * Each record's event id is (writer, sequence): a bucket merged from many writers keeps every
 * event's id. A block of one writer, what a bucket writer makes, names it once in the table and
 * not per record, and a sequence step of one costs one byte, as in format 1. The sequence is a
 * delta from the same writer's previous record, not from the previous record, because in a
 * merged block writers alternate and their sequence counters are unrelated: their differences
 * would cost up to nine bytes a record, a writer's own steps one or two.
 *
 * <p>Format 1 differs only in this: no flags byte and no writer table; the sequence is an
 * unsigned delta from the previous record; the writer is the bucket header's.
 */
public final class BlockBuilder {
    /** The block format this class writes. */
    public static final int FORMAT = 2;
    /** Bytes of the block body before the payload. */
    public static final int BODY_HEADER_BYTES = 1 + 1 + 4 + 4 + 8 + 8;
    /** Bytes of a format-1 block body before the payload. */
    public static final int FORMAT_1_BODY_HEADER_BYTES = 1 + 4 + 4 + 8 + 8;
    /** Flag bit: records ordered by (key, timestamp, writer, sequence). */
    public static final int KEY_ORDERED = 1;
    /** Attribute values up to this many chars go to the dictionary; longer ones are inline. */
    static final int MAX_DICTIONARY_VALUE = 64;
    private static final int REMEMBERED_ATTRIBUTES = 16;

    private final InternTable dictionary = new InternTable();
    private final InternTable writers = new InternTable();
    private final boolean keyOrdered;
    private final int initialBytes;
    private ByteSink records;
    private ByteSink payload;
    private int count;
    /** Encoded size of the dictionary and writer table so far (an upper bound). */
    private long dictionaryBytes;
    private long minTs;
    private long maxTs;
    private long prevTs;
    /** Per writer (table index): its previous sequence in this block. */
    private long[] prevSeqs = new long[4];
    /** Per record: where it starts in {@link #records} and its writer, for the writer column. */
    private int[] recordStarts = new int[64];
    private int[] recordWriters = new int[64];
    /** Bytes the writer column takes if the block ends with more than one writer. */
    private long writerRefBytes;
    private String prevWriter;
    private int prevWriterRef;
    /** The previous record's key (dictionary index), for the order check of a key-ordered block. */
    private int prevKeyRef;
    private long prevSeq;
    /**
     * Per attribute position: the name and value strings of the previous record and their
     * dictionary indexes, so that a record repeating the previous one's {@code String}s (the
     * level, logger, thread and context values of a logging application) skips the dictionary
     * lookup. Only {@code String}s are remembered (a buffer's content changes); cleared with the
     * dictionary.
     */
    private final String[] lastNames = new String[REMEMBERED_ATTRIBUTES];
    private final int[] lastNameRefs = new int[REMEMBERED_ATTRIBUTES];
    private final String[] lastValues = new String[REMEMBERED_ATTRIBUTES];
    private final int[] lastValueRefs = new int[REMEMBERED_ATTRIBUTES];
    /**
     * Made at the first LZ4 block, so that a builder of {@code NONE} blocks, or one a bucket set
     * aside was given ({@link BucketEncoder#shrinkBlockBuffers}), holds no hash table.
     */
    private Lz4Compressor lz4;

    /** A builder of blocks whose records are in arrival order. */
    public BlockBuilder(int blockBytes) {
        this(blockBytes, false);
    }

    /**
     * A builder of blocks whose records are in arrival order or, when {@code keyOrdered}, given in
     * (key, timestamp, writer, sequence) order, which {@link #add} checks and the block's flag says.
     */
    public BlockBuilder(int blockBytes, boolean keyOrdered) {
        this.keyOrdered = keyOrdered;
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
        forgetLastStrings();
        writers.clear();
        dictionaryBytes = 0;
        writerRefBytes = 0;
        records.clear();
        count = 0;
        minTs = Long.MAX_VALUE;
        maxTs = Long.MIN_VALUE;
        prevTs = 0;
        prevWriter = null;
        prevWriterRef = -1;
    }

    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Uncompressed bytes so far: records and dictionary, a little above the final payload size. */
    public int estimatedBytes() {
        return (int) Math.min(Integer.MAX_VALUE, records.size() + dictionaryBytes
                + (writers.size() > 1 ? writerRefBytes : 0));
    }

    public long minTimestamp() {
        return minTs;
    }

    public long maxTimestamp() {
        return maxTs;
    }

    /**
     * Adds an event of {@code writerId} with its {@code sequence}. Returns its encoded size (its
     * record plus the dictionary strings it added), or -1 (and adds nothing) if that exceeds
     * {@code maxRecordBytes}. If reading the event throws, nothing is added either and the
     * exception propagates: a half-written record would shift every record after it.
     *
     * @throws IllegalArgumentException if the builder is key-ordered and the event sorts before
     *         the previous one
     */
    public int add(RecordSource e, String writerId, long sequence, int maxRecordBytes) {
        CharSequence key = e.key();
        return add(e, key, InternTable.hash(key), writerId, sequence, maxRecordBytes);
    }

    /**
     * {@link #add(RecordSource, String, long, int)} of an event whose key, {@code e.key()}, is
     * {@code key} and has the {@link InternTable#hash} {@code keyHash}.
     */
    int add(RecordSource e, CharSequence key, int keyHash, String writerId, long sequence,
            int maxRecordBytes) {
        int start = records.size();
        int dictStart = dictionary.size();
        int writersStart = writers.size();
        long dictBytesStart = dictionaryBytes;
        long ts = e.timestampNanos();
        try {
            int writer = writerRef(writerId);
            long prevOfWriter = writer < writersStart ? prevSeqs[writer] : 0;
            int keyRef = ref(key, keyHash);
            if (keyOrdered && count > 0) {
                checkOrder(keyRef, ts, writerId, sequence);
            }
            records.writeZigZag(ts - prevTs);
            records.writeZigZag(sequence - prevOfWriter);
            records.writeVarInt(keyRef);
            int attrs = e.attributeCount();
            records.writeVarInt(attrs);
            for (int i = 0; i < attrs; i++) {
                records.writeVarInt(nameRef(i, e.attributeName(i)));
                CharSequence v = e.attributeValue(i);
                if (v.length() <= MAX_DICTIONARY_VALUE) {
                    // The record's own key again (a logging key made from a context value, which
                    // is also the context attribute): its index is known, no lookup. Only the same
                    // String: a buffer's content is not known to be the key's.
                    int ref = v == key && v instanceof String ? keyRef : valueRef(i, v);
                    records.writeVarInt(ref << 1);
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
            long size = records.size() - start + (dictionaryBytes - dictBytesStart);
            if (size > maxRecordBytes) {
                undo(start, dictStart, writersStart, dictBytesStart);
                return -1;
            }
            remember(start, writer, keyRef, writerId, sequence);
            minTs = Math.min(minTs, ts);
            maxTs = Math.max(maxTs, ts);
            prevTs = ts;
            return (int) size;
        } catch (RuntimeException | Error failure) {
            undo(start, dictStart, writersStart, dictBytesStart);
            throw failure;
        }
    }

    private void checkOrder(int keyRef, long ts, String writerId, long sequence) {
        int c = keyRef == prevKeyRef ? 0 : CharSequence.compare(dictionary.get(prevKeyRef), dictionary.get(keyRef));
        if (c == 0) {
            c = Long.compare(prevTs, ts);
        }
        if (c == 0) {
            c = prevWriter.compareTo(writerId);
        }
        if (c == 0) {
            c = Long.compare(prevSeq, sequence);
        }
        if (c >= 0) {
            throw new IllegalArgumentException("event (" + dictionary.get(keyRef) + ", " + ts + ", "
                    + writerId + ", " + sequence + ") is not after the previous one in (key, timestamp,"
                    + " writer, sequence) order");
        }
    }

    private void remember(int start, int writer, int keyRef, String writerId, long sequence) {
        if (count == recordStarts.length) {
            recordStarts = Arrays.copyOf(recordStarts, count * 2);
            recordWriters = Arrays.copyOf(recordWriters, count * 2);
        }
        recordStarts[count] = start;
        recordWriters[count] = writer;
        writerRefBytes += ByteSink.varIntLength(writer);
        count++;
        prevSeqs[writer] = sequence;
        prevKeyRef = keyRef;
        prevWriter = writerId;
        prevWriterRef = writer;
        prevSeq = sequence;
    }

    /** The writer table index of {@code writerId}, adding it if new. */
    private int writerRef(String writerId) {
        if (writerId == prevWriter) {
            return prevWriterRef; // the bucket writer's case: the same string every time
        }
        int before = writers.size();
        int id = writers.intern(writerId);
        if (id == before) {
            dictionaryBytes += ByteSink.utf8Length(writerId) + 5;
            if (id == prevSeqs.length) {
                prevSeqs = Arrays.copyOf(prevSeqs, id * 2);
            }
        }
        return id;
    }

    /** {@link #ref} of attribute {@code i}'s name, remembered for the next record. */
    private int nameRef(int i, String name) {
        if (i >= REMEMBERED_ATTRIBUTES) {
            return ref(name);
        }
        if (name == null || name != lastNames[i]) {
            lastNameRefs[i] = ref(name);
            lastNames[i] = name;
        }
        return lastNameRefs[i];
    }

    /** {@link #ref} of attribute {@code i}'s value, remembered for the next record if a String. */
    private int valueRef(int i, CharSequence value) {
        if (i >= REMEMBERED_ATTRIBUTES) {
            return ref(value);
        }
        if (value != lastValues[i]) {
            int id = ref(value);
            if (!(value instanceof String s)) {
                return id;
            }
            lastValueRefs[i] = id;
            lastValues[i] = s;
        }
        return lastValueRefs[i];
    }

    private void forgetLastStrings() {
        Arrays.fill(lastNames, null);
        Arrays.fill(lastValues, null);
    }

    /** The dictionary index of {@code s}, adding it (and counting its bytes) if new. */
    private int ref(CharSequence s) {
        return ref(s, InternTable.hash(s));
    }

    private int ref(CharSequence s, int hash) {
        int before = dictionary.size();
        int id = dictionary.intern(s, hash);
        if (id == before) {
            dictionaryBytes += ByteSink.utf8Length(s) + 5;
        }
        return id;
    }

    private void undo(int recordsSize, int dictionarySize, int writersSize, long dictBytes) {
        records.truncate(recordsSize);
        dictionary.truncate(dictionarySize);
        forgetLastStrings(); // they may name the entries just removed
        writers.truncate(writersSize);
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
        payload.writeVarInt(writers.size());
        for (int i = 0; i < writers.size(); i++) {
            payload.writeUtf8(writers.get(i));
        }
        if (writers.size() == 1) {
            payload.writeBytes(records.array(), 0, records.size());
        } else {
            for (int r = 0; r < count; r++) {
                int end = r + 1 < count ? recordStarts[r + 1] : records.size();
                payload.writeVarInt(recordWriters[r]);
                payload.writeBytes(records.array(), recordStarts[r], end - recordStarts[r]);
            }
        }

        int frameStart = Frame.open(out);
        out.writeByte(FORMAT << 4 | codec.code());
        out.writeByte(keyOrdered ? KEY_ORDERED : 0);
        out.writeInt(payload.size());
        out.writeInt(count);
        out.writeLong(minTs);
        out.writeLong(maxTs);
        switch (codec) {
            case NONE -> out.writeBytes(payload.array(), 0, payload.size());
            case LZ4 -> {
                if (lz4 == null) {
                    lz4 = new Lz4Compressor();
                }
                int max = Lz4Compressor.maxCompressedLength(payload.size());
                out.ensureCapacity(max);
                int at = out.size();
                int n = lz4.compress(payload.array(), 0, payload.size(), out.array(), at, max);
                out.skip(n);
            }
            case ZSTD -> {
                int max = ZstdCodec.maxCompressedLength(payload.size());
                out.ensureCapacity(max);
                int at = out.size();
                out.skip(ZstdCodec.compress(payload.array(), 0, payload.size(), out.array(), at,
                        max));
            }
            default -> throw new IllegalStateException("codec " + codec);
        }
        Frame.close(out, frameStart, Frame.BLOCK_MAGIC);
        reset();
        return out.size() - frameStart;
    }
}

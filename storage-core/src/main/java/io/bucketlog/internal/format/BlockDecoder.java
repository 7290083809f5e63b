package io.bucketlog.internal.format;

import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.Names;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Decodes the body of a block frame written by {@link BlockBuilder}. Every length is checked, so a
 * block that passed its CRC but was written by a buggy or hostile program still cannot make the
 * decoder read out of bounds or allocate more than {@link #MAX_UNCOMPRESSED} bytes.
 */
public final class BlockDecoder {
    /** The largest payload a reader will decompress. */
    public static final int MAX_UNCOMPRESSED = 64 * 1024 * 1024;
    private static final int MAX_STRING = 16 * 1024 * 1024;
    /** What a bucket header allows for a writer id. */
    private static final int MAX_WRITER_ID = 64;
    /** Bytes of the fixed fields at the start of a block body, at most (format 1 has one less). */
    public static final int HEADER_BYTES = BlockBuilder.BODY_HEADER_BYTES;

    private BlockDecoder() {
    }

    /**
     * The fixed fields at the start of a block body.
     *
     * @param format the block format, 1 or 2 ({@link BlockBuilder})
     * @param keyOrdered whether the records are ordered by (key, timestamp, writer, sequence)
     */
    public record Header(Compression codec, int uncompressedLength, int count, long minTimestamp,
                         long maxTimestamp, int format, boolean keyOrdered) {
        /** Bytes of these fields in the block body: where the payload starts. */
        public int bytes() {
            return format == 1 ? BlockBuilder.FORMAT_1_BODY_HEADER_BYTES : BlockBuilder.BODY_HEADER_BYTES;
        }
    }

    public static Header header(byte[] body, int off, int len) {
        ByteSource in = new ByteSource(body, off, len);
        int first = in.readByte();
        // Format 1 wrote the codec alone; its codes are below 16, so its high bits are 0.
        int format = first >>> 4 == 0 ? 1 : first >>> 4;
        if (format > BlockBuilder.FORMAT) {
            throw new CorruptDataException("unsupported block format " + format
                    + " (this reader knows formats 1 to " + BlockBuilder.FORMAT + ")");
        }
        int codecCode = first & 0x0F;
        Compression codec = Compression.fromCode(codecCode);
        if (codec == null) {
            throw new CorruptDataException("unknown codec " + codecCode);
        }
        boolean keyOrdered = false;
        if (format >= 2) {
            int flags = in.readByte();
            if ((flags & ~BlockBuilder.KEY_ORDERED) != 0) {
                throw new CorruptDataException("unknown block flags " + flags);
            }
            keyOrdered = (flags & BlockBuilder.KEY_ORDERED) != 0;
        }
        int uncompressed = in.readInt();
        if (uncompressed < 0 || uncompressed > MAX_UNCOMPRESSED) {
            throw new CorruptDataException("uncompressed length " + uncompressed + " out of range");
        }
        int count = in.readInt();
        if (count < 0 || count > uncompressed) {
            throw new CorruptDataException("record count " + count + " out of range");
        }
        long min = in.readLong();
        long max = in.readLong();
        if (min > max) {
            throw new CorruptDataException("min timestamp after max timestamp");
        }
        return new Header(codec, uncompressed, count, min, max, format, keyOrdered);
    }

    /**
     * Decodes the records of a block body, appending to {@code out} those whose key equals
     * {@code key} (any key when {@code null}) and whose timestamp is in {@code [from, to)}.
     * Records of other keys are skipped without building strings for them. Each event's id is the
     * writer and sequence its record names; a format-1 block names no writer, and its events get
     * {@code format1Writer}, the writer of the bucket it is in (its header's, which its file name
     * repeats).
     *
     * @return whether the appended events are already in (timestamp, writer, sequence) order: a
     *         key-ordered block read for one key (checked where the read meets it, so a block that
     *         claims an order it does not have is corrupt there: {@link Payload#records});
     *         otherwise the caller sorts them
     * @throws CorruptDataException if the body does not decode
     */
    public static boolean decode(byte[] body, int off, int len, String stream, String format1Writer,
                                 String key, long from, long to, List<Event> out) {
        Payload payload = open(body, off, len, stream, format1Writer);
        int first = out.size();
        try {
            return payload.records(key, from, to, (ts, writer, seq, k, at) ->
                    out.add(payload.event(at, ts, new EventId(writer, seq), k)));
        } catch (CorruptDataException e) {
            out.subList(first, out.size()).clear();
            throw e;
        }
    }

    /**
     * Opens a block body for {@link Payload#records} and {@link Payload#event}: reads its
     * dictionary and writer table, decompressing only as far as they reach; the records are
     * decompressed as {@code records} reads them.
     *
     * @param format1Writer the writer of a format-1 block's records (see {@link #decode})
     * @throws CorruptDataException if the body does not decode that far
     */
    public static Payload open(byte[] body, int off, int len, String stream, String format1Writer) {
        Header h = header(body, off, len);
        int payloadLen = h.uncompressedLength();
        int dataOff = off + h.bytes();
        int dataLen = len - h.bytes();
        ByteSource in;
        Lz4Decompressor lz4 = null;
        byte[] payload;
        switch (h.codec()) {
            case NONE -> {
                if (dataLen != payloadLen) {
                    throw new CorruptDataException("stored length " + dataLen + " != " + payloadLen);
                }
                payload = body;
                in = new ByteSource(payload, dataOff, payloadLen);
            }
            case LZ4 -> {
                payload = new byte[payloadLen];
                lz4 = new Lz4Decompressor(body, dataOff, dataLen, payload, 0, payloadLen);
                dataOff = 0;
                in = ByteSource.filling(payload, 0, payloadLen, 0, lz4);
            }
            case ZSTD -> {
                payload = new byte[payloadLen];
                ZstdCodec.decompress(body, dataOff, dataLen, payload, 0, payloadLen);
                dataOff = 0;
                in = new ByteSource(payload, 0, payloadLen);
            }
            default -> throw new CorruptDataException("codec " + h.codec());
        }
        Dictionary dict = new Dictionary(payload, in);
        String[] writers = h.format() == 1 ? new String[] {format1Writer} : writerTable(in);
        return new Payload(h, stream, payload, in.position(), dataOff + payloadLen, dict, writers,
                lz4);
    }

    /** Told of each record {@link Payload#records} keeps, in stored order. */
    @FunctionalInterface
    public interface RecordSink {
        /**
         * @param key the record's key (checked to be a valid key)
         * @param at where the rest of the record (key, attributes, body) starts, for {@link
         *     Payload#event}
         */
        void record(long timestampNanos, String writerId, long sequence, String key, int at);
    }

    /**
     * A block, decompressed as far as its records are walked, whose records become events one at
     * a time: a scan can hold a time slice as these bytes and the records' (timestamp, id,
     * position), sort that, and build each {@link Event} only as it returns it, instead of
     * holding the slice as events (several objects each, which the young generation copies while
     * the slice lives). Not thread-safe.
     */
    public static final class Payload {
        private final Header header;
        private final String stream;
        private final byte[] bytes;
        private final int recordsAt;
        private final int end;
        private final Dictionary dict;
        private final String[] writers;
        /** Writes the rest of {@code bytes}; null once walked, or for a block not compressed. */
        private Lz4Decompressor lz4;
        /** Whether {@link #records} has run: it runs once, and may leave the rest compressed. */
        private boolean walked;

        private Payload(Header header, String stream, byte[] bytes, int recordsAt, int end,
                        Dictionary dict, String[] writers, Lz4Decompressor lz4) {
            this.header = header;
            this.stream = stream;
            this.bytes = bytes;
            this.recordsAt = recordsAt;
            this.end = end;
            this.dict = dict;
            this.writers = writers;
            this.lz4 = lz4;
        }

        /** The records' bytes, decompressed as they are read (all of them first when all are). */
        private ByteSource recordBytes(boolean all) {
            int readable = lz4 == null ? end : lz4.fillTo(all ? end : recordsAt);
            return readable == end ? new ByteSource(bytes, recordsAt, end - recordsAt)
                    : ByteSource.filling(bytes, recordsAt, end - recordsAt, readable, lz4);
        }

        /**
         * Walks the records, checking each length and reference, so that {@link #event} cannot
         * fail on a record passed to {@code sink}: those whose key equals {@code key} (any when
         * {@code null}) and whose timestamp is in {@code [from, to)}. Records of other keys are
         * skipped without building strings for them.
         *
         * <p>A key-ordered block read for one key is walked only to the end of what it can hold
         * for it: to its first record of a greater key, or of the key at or after {@code to}; so
         * the rest is not decompressed either. Its claim of order is checked on what is walked: the
         * key's kept records must be in read order, and the first other key after the key's
         * records must be greater. What is not walked is not checked either: a key's records after
         * a greater key, and any damage past where the walk stops, which the frame's CRC did not
         * catch (a block written that way). Runs once per payload.
         *
         * @return whether the kept records are in (timestamp, writer, sequence) order, as a
         *         key-ordered block read for one key is (checked)
         * @throws CorruptDataException if a record does not decode; {@code sink} may have been
         *         told of records before it
         */
        public boolean records(String key, long from, long to, RecordSink sink) {
            if (walked) {
                throw new IllegalStateException("a block's records are walked once");
            }
            walked = true;
            try {
                return walk(key, from, to, sink);
            } finally {
                lz4 = null; // the compressed frame is not kept alive with the payload
            }
        }

        private boolean walk(String key, long from, long to, RecordSink sink) {
            boolean ordered = header.keyOrdered() && key != null;
            int wanted = -1; // dictionary index of the wanted key
            byte[] wantedUtf8 = null;
            if (key != null) {
                wantedUtf8 = key.getBytes(StandardCharsets.UTF_8);
                wanted = dict.find(wantedUtf8);
                if (wanted < 0) {
                    return true; // the block does not hold the key: nothing kept
                }
            }
            ByteSource in = recordBytes(!ordered);
            boolean inKey = false; // a record of the key has been walked
            int otherKey = -1; // the last other key compared with the key
            int dictSize = dict.size();
            long[] seqs = new long[writers.length];
            boolean writerColumn = writers.length > 1;
            boolean any = false;
            long lastTs = 0;
            String lastWriter = null;
            long lastSeq = 0;
            long ts = 0;
            for (int r = 0; r < header.count(); r++) {
                int writer = writerColumn ? in.readVarInt(writers.length - 1) : 0;
                ts += in.readZigZag();
                long seq = header.format() == 1 ? seqs[0] + in.readVarLong() : seqs[writer] + in.readZigZag();
                seqs[writer] = seq;
                int at = in.position();
                int keyRef = in.readVarInt(dictSize - 1);
                if (ordered) {
                    if (keyRef == wanted) {
                        if (ts >= to) {
                            break; // the key's later records are later still
                        }
                        inKey = true;
                        otherKey = -1; // the next other key is compared, even the one before
                    } else if (keyRef != otherKey) {
                        otherKey = keyRef;
                        if (dict.compare(keyRef, wantedUtf8, key) > 0) {
                            break; // past the key's records, or where they would be
                        }
                        if (inKey) {
                            throw outOfClaimedOrder();
                        }
                    }
                }
                boolean keep = (key == null || keyRef == wanted) && ts >= from && ts < to;
                String recordKey = keep ? dict.key(keyRef) : null; // checked once per entry
                int attrs = in.readVarInt(in.remaining() / 2); // each attribute takes at least 2 bytes
                for (int a = 0; a < attrs; a++) {
                    in.readVarInt(dictSize - 1);
                    long tag = in.readVarLong();
                    if ((tag & 1) == 0) {
                        if (tag >>> 1 >= dictSize) {
                            throw new CorruptDataException("dictionary index " + (tag >>> 1) + " >= "
                                    + dictSize);
                        }
                    } else {
                        long vlen = tag >>> 1;
                        if (vlen > in.remaining()) {
                            throw new CorruptDataException("attribute value runs past the block");
                        }
                        in.skip((int) vlen);
                    }
                }
                in.skip(in.readVarInt(in.remaining()));
                if (keep) {
                    String w = writers[writer];
                    if (ordered && any && compare(lastTs, lastWriter, lastSeq, ts, w, seq) >= 0) {
                        throw outOfClaimedOrder();
                    }
                    any = true;
                    lastTs = ts;
                    lastWriter = w;
                    lastSeq = seq;
                    sink.record(ts, w, seq, recordKey, at);
                }
            }
            return ordered;
        }

        private static CorruptDataException outOfClaimedOrder() {
            return new CorruptDataException("records out of the (key, timestamp, writer, sequence)"
                    + " order the block claims");
        }

        /**
         * The event of the record at {@code at}, with the timestamp, id and key that {@link
         * #records} passed to its sink with it.
         */
        public Event event(int at, long timestampNanos, EventId id, String key) {
            ByteSource in = new ByteSource(bytes, at, end - at);
            int dictSize = dict.size();
            in.readVarInt(dictSize - 1); // the key's reference
            int attrs = in.readVarInt(in.remaining() / 2);
            Map<String, String> attributes = Map.of();
            if (attrs > 0) {
                AttributeMap.Builder m = new AttributeMap.Builder(attrs);
                for (int a = 0; a < attrs; a++) {
                    String name = dict.get(in.readVarInt(dictSize - 1));
                    long tag = in.readVarLong();
                    if ((tag & 1) == 0) {
                        m.put(name, dict.get((int) (tag >>> 1)));
                    } else {
                        int vlen = (int) (tag >>> 1);
                        m.put(name, new String(bytes, in.position(), vlen, StandardCharsets.UTF_8));
                        in.skip(vlen);
                    }
                }
                attributes = m.build();
            }
            int bodyLen = in.readVarInt(in.remaining());
            return new Event(stream, key, timestampNanos, attributes, in.readBytes(bodyLen), id);
        }

        /** The payload's byte at {@code at}: see {@code DecodedRun}'s read-ahead. */
        public byte byteAt(int at) {
            return bytes[at];
        }

    }

    /**
     * Read order of two records by their fields, (timestamp, writer, sequence), as {@code
     * Event}'s timestamp then {@code EventId} order: for callers that hold records as arrays.
     */
    public static int compare(long ts1, String writer1, long seq1, long ts2, String writer2, long seq2) {
        int c = Long.compare(ts1, ts2);
        if (c == 0) {
            c = writer1.compareTo(writer2);
        }
        return c != 0 ? c : Long.compare(seq1, seq2);
    }

    /** Reads a format-2 block's writer table. */
    private static String[] writerTable(ByteSource in) {
        int n = in.readVarInt(in.remaining());
        if (n == 0) {
            throw new CorruptDataException("block names no writer");
        }
        String[] writers = new String[n];
        for (int i = 0; i < n; i++) {
            writers[i] = in.readString(MAX_WRITER_ID);
        }
        return writers;
    }

    /**
     * A block's dictionary, read once but turned into strings only for the entries a kept record
     * uses: a key lookup in a block of many keys builds a handful of strings, not hundreds.
     */
    private static final class Dictionary {
        private final byte[] payload;
        private final int[] offsets;
        private final int[] lengths;
        private final String[] strings;
        private final boolean[] keyChecked;

        Dictionary(byte[] payload, ByteSource in) {
            this.payload = payload;
            int n = in.readVarInt(in.remaining());
            offsets = new int[n];
            lengths = new int[n];
            strings = new String[n];
            keyChecked = new boolean[n];
            for (int i = 0; i < n; i++) {
                int len = in.readVarInt(MAX_STRING);
                offsets[i] = in.position();
                lengths[i] = len;
                in.skip(len);
            }
        }

        int size() {
            return offsets.length;
        }

        /** The index of the entry with exactly these UTF-8 bytes, or -1. */
        int find(byte[] utf8) {
            for (int i = 0; i < offsets.length; i++) {
                if (lengths[i] == utf8.length && Arrays.equals(payload, offsets[i],
                        offsets[i] + lengths[i], utf8, 0, utf8.length)) {
                    return i;
                }
            }
            return -1;
        }

        /**
         * The sign of entry {@code i} compared with {@code key}, whose UTF-8 bytes these are, in
         * {@link String} order, the order of a key-ordered block's keys. UTF-8 bytes compare as
         * code points do, which is String order except between U+E000..U+FFFF and the
         * supplementary characters (lead bytes 0xEE and up): only there are strings compared.
         */
        int compare(int i, byte[] utf8, String key) {
            int from = offsets[i];
            int len = lengths[i];
            int at = Arrays.mismatch(payload, from, from + len, utf8, 0, utf8.length);
            if (at < 0) {
                return 0;
            }
            if (at == len || at == utf8.length) {
                return at == len ? -1 : 1; // a prefix sorts first
            }
            int a = payload[from + at] & 0xFF;
            int b = utf8[at] & 0xFF;
            if (a < 0xEE && b < 0xEE) {
                return Integer.compare(a, b);
            }
            return Integer.signum(get(i).compareTo(key));
        }

        String get(int i) {
            String s = strings[i];
            if (s == null) {
                s = new String(payload, offsets[i], lengths[i], StandardCharsets.UTF_8);
                strings[i] = s;
            }
            return s;
        }

        /** An entry used as a key: checked once to be a valid key, as the writer made sure. */
        String key(int i) {
            String k = get(i);
            if (!keyChecked[i]) {
                if (!k.isEmpty() && Names.keyProblem(k) != null) {
                    throw new CorruptDataException("invalid key in block");
                }
                keyChecked[i] = true;
            }
            return k;
        }
    }
}

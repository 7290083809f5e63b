package io.bucketlog.internal.format;

import io.bucketlog.Compression;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.Names;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
    /** Read order: (timestamp, writer, sequence). */
    private static final Comparator<Event> FORWARD = Comparator.comparingLong(Event::timestampNanos)
            .thenComparing(Event::id);
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
     *         key-ordered block read for one key (checked, so a block that claims an order it does
     *         not have is corrupt); otherwise the caller sorts them
     * @throws CorruptDataException if the body does not decode
     */
    public static boolean decode(byte[] body, int off, int len, String stream, String format1Writer,
                                 String key, long from, long to, List<Event> out) {
        Header h = header(body, off, len);
        byte[] payload;
        int payloadLen = h.uncompressedLength();
        int dataOff = off + h.bytes();
        int dataLen = len - h.bytes();
        switch (h.codec()) {
            case NONE -> {
                if (dataLen != payloadLen) {
                    throw new CorruptDataException("stored length " + dataLen + " != " + payloadLen);
                }
                payload = body;
                payloadLen = dataLen;
            }
            case LZ4 -> {
                payload = new byte[payloadLen];
                Lz4Decompressor.decompress(body, dataOff, dataLen, payload, 0, payloadLen);
                dataOff = 0;
            }
            default -> throw new CorruptDataException("codec " + h.codec());
        }
        ByteSource in = new ByteSource(payload, dataOff, payloadLen);
        Dictionary dict = new Dictionary(payload, in);
        String[] writers = h.format() == 1 ? new String[] {format1Writer} : writerTable(in);
        boolean ordered = h.keyOrdered() && key != null;
        int wanted = -1; // dictionary index of the wanted key
        if (key != null) {
            wanted = dict.find(key.getBytes(StandardCharsets.UTF_8));
            if (wanted < 0) {
                return true; // the block does not hold the key: nothing appended
            }
        }
        int dictSize = dict.size();
        long[] seqs = new long[writers.length];
        boolean writerColumn = writers.length > 1;
        int first = out.size();
        long ts = 0;
        for (int r = 0; r < h.count(); r++) {
            int writer = writerColumn ? in.readVarInt(writers.length - 1) : 0;
            ts += in.readZigZag();
            long seq = h.format() == 1 ? seqs[0] + in.readVarLong() : seqs[writer] + in.readZigZag();
            seqs[writer] = seq;
            int keyRef = in.readVarInt(dictSize - 1);
            boolean keep = (key == null || keyRef == wanted) && ts >= from && ts < to;
            int attrs = in.readVarInt(in.remaining() / 2); // each attribute takes at least 2 bytes
            Map<String, String> attributes = keep && attrs > 0 ? new LinkedHashMap<>(attrs * 2) : null;
            for (int a = 0; a < attrs; a++) {
                int nameRef = in.readVarInt(dictSize - 1);
                long tag = in.readVarLong();
                String value = null;
                if ((tag & 1) == 0) {
                    long ref = tag >>> 1;
                    if (ref >= dictSize) {
                        throw new CorruptDataException("dictionary index " + ref + " >= " + dictSize);
                    }
                    if (keep) {
                        value = dict.get((int) ref);
                    }
                } else {
                    long vlen = tag >>> 1;
                    if (vlen > in.remaining()) {
                        throw new CorruptDataException("attribute value runs past the block");
                    }
                    if (keep) {
                        value = new String(payload, in.position(), (int) vlen, StandardCharsets.UTF_8);
                    }
                    in.skip((int) vlen);
                }
                if (attributes != null) {
                    attributes.put(dict.get(nameRef), value);
                }
            }
            int bodyLen = in.readVarInt(in.remaining());
            if (keep) {
                // Most events have no attributes: one shared empty map, not two objects each.
                Map<String, String> attrMap = attributes == null ? Collections.emptyMap()
                        : Collections.unmodifiableMap(attributes);
                Event e = new Event(stream, dict.key(keyRef), ts, attrMap, in.readBytes(bodyLen),
                        new EventId(writers[writer], seq));
                if (ordered && out.size() > first && FORWARD.compare(out.get(out.size() - 1), e) >= 0) {
                    throw new CorruptDataException("records out of the (key, timestamp, writer,"
                            + " sequence) order the block claims");
                }
                out.add(e);
            } else {
                in.skip(bodyLen);
            }
        }
        return ordered;
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

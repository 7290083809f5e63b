package io.bucketlog.reader;

import io.bucketlog.format.ByteSink;
import io.bucketlog.format.ByteSource;
import io.bucketlog.format.CorruptDataException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a tail has delivered each bucket it follows; the state behind a tail {@link Cursor}.
 *
 * <p>A bucket's position is the offset of the first block frame not fully delivered and the
 * number of that block's records already delivered (records of a block are in the writer's
 * sequence order, which is the order a tail delivers them in). Buckets a tail does not list and
 * whose window ends after {@code floorNanos} have delivered nothing. Encoded as {@code t1} and
 * base64url of: varlong floor, optional event position (a tail started from one keeps
 * filtering by it), the writer ids once each, then per bucket (writer index, window start, bucket
 * sequence, offset, records delivered).
 *
 * @param floorNanos buckets whose window ends at or before this are not followed
 * @param after the event position the tail delivers events after, or null
 * @param buckets per followed bucket, its delivered position
 */
record TailPosition(long floorNanos, Cursor after, List<Bucket> buckets) {
    static final String PREFIX = "t1";

    /** One followed bucket's delivered position. */
    record Bucket(String writerId, long windowStart, long sequence, long offset, int delivered) {
    }

    TailPosition {
        buckets = List.copyOf(buckets);
    }

    String encode() {
        ByteSink out = new ByteSink(64 + buckets.size() * 24);
        out.writeVarLong(floorNanos);
        if (after == null) {
            out.writeByte(0);
        } else {
            out.writeByte(1);
            out.writeVarLong(after.timestampNanos());
            out.writeString(after.eventId().writerId());
            out.writeVarLong(after.eventId().sequence());
        }
        Map<String, Integer> writers = new LinkedHashMap<>();
        for (Bucket b : buckets) {
            writers.putIfAbsent(b.writerId(), writers.size());
        }
        out.writeVarInt(writers.size());
        for (String w : writers.keySet()) {
            out.writeString(w);
        }
        out.writeVarInt(buckets.size());
        for (Bucket b : buckets) {
            out.writeVarInt(writers.get(b.writerId()));
            out.writeVarLong(b.windowStart());
            out.writeVarLong(b.sequence());
            out.writeVarLong(b.offset());
            out.writeVarInt(b.delivered());
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    static TailPosition decode(String text) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text.substring(PREFIX.length()));
            ByteSource in = new ByteSource(bytes);
            long floor = in.readVarLong();
            Cursor after = null;
            if (in.readByte() == 1) {
                long ts = in.readVarLong();
                String writer = in.readString(64);
                long seq = in.readVarLong();
                after = Cursor.parse("p" + ts + "." + writer + "." + seq);
            }
            int nWriters = in.readVarInt(in.remaining());
            List<String> writers = new ArrayList<>(nWriters);
            for (int i = 0; i < nWriters; i++) {
                String w = in.readString(64);
                if (!w.matches("[0-9a-z]{1,64}")) {
                    throw new CorruptDataException("bad writer id");
                }
                writers.add(w);
            }
            int n = in.readVarInt(in.remaining());
            List<Bucket> buckets = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int w = in.readVarInt(nWriters - 1);
                long window = in.readVarLong();
                long seq = in.readVarLong();
                long offset = in.readVarLong();
                int delivered = in.readVarInt(Integer.MAX_VALUE);
                if (window < 0 || seq < 0 || offset < 0) {
                    throw new CorruptDataException("negative field");
                }
                buckets.add(new Bucket(writers.get(w), window, seq, offset, delivered));
            }
            if (in.hasRemaining() || floor < 0) {
                throw new CorruptDataException("trailing bytes");
            }
            return new TailPosition(floor, after, buckets);
        } catch (IllegalArgumentException | CorruptDataException | IndexOutOfBoundsException e) {
            throw new InvalidCursorException("bad tail cursor " + Cursor.shown(text) + ": "
                    + e.getMessage(), e);
        }
    }
}

package io.bucketlog.reader;

import io.bucketlog.Compression;
import io.bucketlog.internal.format.BlockDecoder;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.CorruptDataException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a tail has delivered; the state behind a tail {@link Cursor}.
 *
 * <p>Two parts. Per bucket it follows, the offset of the first block frame not fully delivered
 * and the number of that block's records already delivered (records of a block are delivered in
 * block order), so that a resumed tail continues a bucket where it stopped without reading it
 * again. And the {@link DeliveredIds} of every event delivered in the index windows it follows,
 * so that an event is never delivered again when it is read from another bucket: a compactor's
 * merge that replaced (and then deleted) the buckets the cursor names. Buckets a tail does not
 * list and whose window ends after {@code floorNanos} have delivered nothing. A bucket is
 * {@linkplain Bucket#recorded() recorded} when the events before its position are all in the
 * delivered set; the part before the position of an unrecorded one (what a tail started from
 * now found stored when it started, and every bucket of a {@code t1} cursor, which had no
 * delivered set) is decoded into the set when a merge replaces the bucket, if it still exists.
 *
 * <p>Encoded as {@code t2} and base64url of: varlong floor, optional event position (a tail
 * started from one keeps filtering by it), the writer ids once each, then per bucket (writer
 * index, window start, bucket sequence, offset, records delivered, flags: 1 = recorded), then the
 * delivered set. {@code t1} cursors (the same without flags and delivered set) are still read.
 *
 * <p>A cursor is input from outside (a user may keep, edit or forge it), so {@link #decode} bounds
 * everything it reads: the text length, the number of writers and buckets ({@value #MAX_BUCKETS}
 * at most; a tail forgets idle buckets below its floor, so its cursors stay far below that), the
 * runs of the delivered set ({@value DeliveredIds#MAX_RUNS}), the records delivered of one
 * block, and each offset, which must be 0 (the bucket's header was not read yet) or not lie
 * inside the bucket header (no block starts there). A floor later than now is not rejected here
 * but clamped by the tail that resumes from it, since clocks of different machines disagree.
 *
 * @param floorNanos buckets whose window ends at or before this are not followed
 * @param after the event position the tail delivers events after, or null
 * @param buckets per followed bucket, its delivered position
 * @param delivered the events delivered in the windows the tail follows
 */
record TailPosition(long floorNanos, Cursor after, List<Bucket> buckets, DeliveredIds delivered) {
    static final String PREFIX = "t2";
    /** The first format: bucket positions only. */
    private static final String PREFIX_1 = "t1";
    /** Most buckets a tail cursor may name. */
    static final int MAX_BUCKETS = 65_536;
    /**
     * Longest tail cursor text accepted: room for {@link #MAX_BUCKETS} buckets of new writers and
     * {@link DeliveredIds#MAX_RUNS} runs of the largest numbers.
     */
    static final int MAX_CHARS = 40 << 20;
    /** The shortest stream name: gives the smallest header of a writer's buckets in any stream. */
    private static final String SHORTEST_STREAM = "s";

    /**
     * One followed bucket's delivered position.
     *
     * @param recorded whether every event before the position is in the delivered set
     */
    record Bucket(String writerId, long windowStart, long sequence, long offset, int delivered,
                  boolean recorded) {
        /** A position whose events are not in the delivered set (as a {@code t1} cursor has it). */
        Bucket(String writerId, long windowStart, long sequence, long offset, int delivered) {
            this(writerId, windowStart, sequence, offset, delivered, false);
        }
    }

    TailPosition {
        buckets = List.copyOf(buckets);
    }

    /** Bucket positions only, nothing in the delivered set. */
    TailPosition(long floorNanos, Cursor after, List<Bucket> buckets) {
        this(floorNanos, after, buckets, new DeliveredIds());
    }

    /** Whether {@code text} is meant as a tail cursor (of any format). */
    static boolean isTailCursor(String text) {
        return text.startsWith(PREFIX) || text.startsWith(PREFIX_1);
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
        delivered.writers(w -> writers.putIfAbsent(w, writers.size()));
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
            out.writeByte(b.recorded() ? 1 : 0);
        }
        delivered.encode(out, writers);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    static TailPosition decode(String text) {
        if (text.length() > MAX_CHARS) {
            throw new InvalidCursorException("bad tail cursor " + Cursor.shown(text) + ": longer than "
                    + MAX_CHARS + " characters");
        }
        boolean version1 = text.startsWith(PREFIX_1);
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text.substring(PREFIX.length()));
            ByteSource in = new ByteSource(bytes);
            long floor = in.readVarLong();
            Cursor after = null;
            int hasAfter = in.readByte();
            if (hasAfter == 1) {
                long ts = in.readVarLong();
                String writer = in.readString(64);
                long seq = in.readVarLong();
                after = Cursor.parse("p" + ts + "." + writer + "." + seq);
            } else if (hasAfter != 0) {
                throw new CorruptDataException("bad event position flag " + hasAfter);
            }
            int nWriters = in.readVarInt(Math.min(in.remaining(), MAX_BUCKETS));
            List<String> writers = new ArrayList<>(nWriters);
            List<Long> minOffsets = new ArrayList<>(nWriters);
            for (int i = 0; i < nWriters; i++) {
                String w = in.readString(64);
                if (!w.matches("[0-9a-z]{1,64}")) {
                    throw new CorruptDataException("bad writer id");
                }
                writers.add(w);
                minOffsets.add(firstBlockOffset(w, SHORTEST_STREAM));
            }
            int n = in.readVarInt(in.remaining());
            if (n > MAX_BUCKETS) {
                throw new CorruptDataException(n + " buckets, more than " + MAX_BUCKETS);
            }
            List<Bucket> buckets = new ArrayList<>(n);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < n; i++) {
                int w = in.readVarInt(nWriters - 1);
                long window = in.readVarLong();
                long seq = in.readVarLong();
                long offset = in.readVarLong();
                int delivered = in.readVarInt(BlockDecoder.MAX_UNCOMPRESSED);
                int flags = version1 ? 0 : in.readByte();
                if (flags != 0 && flags != 1) {
                    throw new CorruptDataException("bad bucket flags " + flags);
                }
                if (window < 0 || seq < 0 || offset < 0) {
                    throw new CorruptDataException("negative field");
                }
                if (offset != 0 && offset < minOffsets.get(w)) { // 0: header not read yet
                    throw new CorruptDataException("offset " + offset + " of bucket " + window + "-"
                            + writers.get(w) + "-" + seq + " lies inside its header (blocks start at "
                            + minOffsets.get(w) + " or later)");
                }
                if (!seen.add(w + "/" + window + "/" + seq)) {
                    throw new CorruptDataException("bucket " + window + "-" + writers.get(w) + "-"
                            + seq + " listed twice");
                }
                buckets.add(new Bucket(writers.get(w), window, seq, offset, delivered, flags == 1));
            }
            DeliveredIds ids = version1 ? new DeliveredIds() : DeliveredIds.decode(in, writers);
            if (in.hasRemaining()) {
                throw new CorruptDataException("trailing bytes");
            }
            if (floor < 0) {
                throw new CorruptDataException("negative floor");
            }
            return new TailPosition(floor, after, buckets, ids);
        } catch (IllegalArgumentException | CorruptDataException | IndexOutOfBoundsException e) {
            throw new InvalidCursorException("bad tail cursor " + Cursor.shown(text) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Where the first block of a bucket of {@code writerId} in {@code stream} starts: right after
     * its header, whose size depends only on these two names.
     */
    static long firstBlockOffset(String writerId, String stream) {
        ByteSink out = new ByteSink(BucketHeader.MAX_BYTES);
        new BucketHeader(Compression.NONE, 0, 1, 0, 0, writerId, stream).writeTo(out);
        return out.size();
    }
}

package io.bucketlog.internal.format;

import java.util.ArrayList;
import java.util.List;

/**
 * An entry of an index bucket, the body of one frame: a type byte, then the type's fields.
 *
 * <pre>
 *   4 opened      i64 bucketSequence, i64 bucketWindowStart
 *   1 opened (as first written) the same, then u16 root: read, the root ignored
 *   2 sealed      i64 bucketSequence, i64 minTimestamp, i64 maxTimestamp, i64 count,
 *                 i64 fileBytes, i64 footerOffset, bloom filter of keys ({@link BloomFilter})
 *   3 superseded  varint n, n × bucket ref; then the replacing bucket ref, where a
 *                 bucket ref = str writerId, i64 bucketWindowStart, i64 bucketSequence
 * </pre>
 * "opened" is appended right after the data bucket file is created with its header and before any
 * block is written, so every written event is reachable from an index. "sealed" is appended after
 * the bucket's trailer is written. A "superseded" entry is the brigade's commit: from then on
 * readers read the replacement instead of the old buckets.
 *
 * <p>The first "opened" entries also named the store directory the bucket was put in. That made
 * an index entry depend on where a backend keeps bytes; readers find a bucket by listing every
 * volume's window directory anyway, so new entries (type 4) leave it out, and type 1 is still
 * read, its directory number dropped.
 */
public sealed interface IndexEntry {
    /** The first form of "opened", with a store directory number; read, no longer written. */
    int OPENED_WITH_ROOT = 1;
    int SEALED = 2;
    int SUPERSEDED = 3;
    int OPENED = 4;

    void writeTo(ByteSink out);

    /** A data bucket was created. */
    record Opened(long bucketSequence, long bucketWindowStart) implements IndexEntry {
        @Override
        public void writeTo(ByteSink out) {
            out.writeByte(OPENED);
            out.writeLong(bucketSequence);
            out.writeLong(bucketWindowStart);
        }
    }

    /** A data bucket was sealed; what it holds, for pruning without opening it. */
    record Sealed(long bucketSequence, long minTimestamp, long maxTimestamp, long count,
                  long fileBytes, long footerOffset, BloomFilter keys) implements IndexEntry {
        @Override
        public void writeTo(ByteSink out) {
            out.writeByte(SEALED);
            out.writeLong(bucketSequence);
            out.writeLong(minTimestamp);
            out.writeLong(maxTimestamp);
            out.writeLong(count);
            out.writeLong(fileBytes);
            out.writeLong(footerOffset);
            keys.writeTo(out);
        }
    }

    /** Names a data bucket of any writer. */
    record BucketRef(String writerId, long bucketWindowStart, long bucketSequence) {
        void writeTo(ByteSink out) {
            out.writeString(writerId);
            out.writeLong(bucketWindowStart);
            out.writeLong(bucketSequence);
        }

        static BucketRef readFrom(ByteSource in) {
            return new BucketRef(in.readString(64), in.readLong(), in.readLong());
        }
    }

    /** The brigade's commit: {@code replaced} are to be read as {@code replacement}. */
    record Superseded(List<BucketRef> replaced, BucketRef replacement) implements IndexEntry {
        public Superseded {
            replaced = List.copyOf(replaced);
        }

        @Override
        public void writeTo(ByteSink out) {
            out.writeByte(SUPERSEDED);
            out.writeVarInt(replaced.size());
            for (BucketRef r : replaced) {
                r.writeTo(out);
            }
            replacement.writeTo(out);
        }
    }

    /** Decodes one entry from a frame body. */
    static IndexEntry readFrom(ByteSource in) {
        int type = in.readByte();
        switch (type) {
            case OPENED:
            case OPENED_WITH_ROOT: {
                long seq = in.readLong();
                long window = in.readLong();
                if (type == OPENED_WITH_ROOT) {
                    in.readShort(); // the store directory: buckets are found by listing
                }
                return new Opened(seq, window);
            }
            case SEALED: {
                long seq = in.readLong();
                long min = in.readLong();
                long max = in.readLong();
                long count = in.readLong();
                long bytes = in.readLong();
                long footer = in.readLong();
                if (min > max || count < 0 || bytes < 0 || footer < 0 || footer > bytes) {
                    throw new CorruptDataException("sealed entry fields out of range");
                }
                return new Sealed(seq, min, max, count, bytes, footer, BloomFilter.readFrom(in));
            }
            case SUPERSEDED: {
                int n = in.readVarInt(in.remaining() / 17);
                List<BucketRef> replaced = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    replaced.add(BucketRef.readFrom(in));
                }
                return new Superseded(replaced, BucketRef.readFrom(in));
            }
            default:
                throw new CorruptDataException("unknown index entry type " + type);
        }
    }
}

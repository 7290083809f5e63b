package io.bucketlog.backend.s3;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.BlockBuilder;
import io.bucketlog.internal.format.BucketHeader;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.CorruptDataException;
import io.bucketlog.internal.read.BlockFrames;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * What recovery makes of a dead writer's data bucket that the store does not have whole: the
 * whole blocks that its spool holds and its published parts do not become a bucket of their own
 * beside it, and the original is left as the store has it (a torn tail, as a killed writer's
 * bucket on files). That holds for a bucket its writer had sealed in the spool too, when it was
 * killed before the upload of the sealed object: its blocks end at its footer, and the footer
 * stays out of the store, as does the index's "sealed" entry ({@link WithdrawnSeals}).
 *
 * <p>Why not append them to the original: a brigade takes a bucket unchanged for
 * {@code abandonAfter} as abandoned and merges what is published of it; bytes uploaded to it
 * afterwards belong to a superseded bucket, which no reader reads and which cleanup deletes
 * after the grace period. Left alone, the original's readable records are fixed at its writer's
 * death, so a merge of it and the new bucket hold disjoint records whichever runs first or both
 * at once, with no look at the catalog and no race with a brigade on another host.
 *
 * <p>The new bucket is written whole and unsealed: the original's header with a writer id and
 * seal key derived from the original's name and incarnation (so a recovery killed after the
 * upload and run again makes the same object, and the store's 412 tells it it is there), then the
 * spool's block frames byte for byte. Format-2 blocks name each record's writer and sequence, so
 * every event keeps its {@link io.bucketlog.EventId}; a reader scans the bucket like any
 * unsealed one, and a brigade merges it once it is abandoned. A format-1 block (a writer of an
 * older version) takes its ids from the bucket's header, so a bucket whose leftovers hold one is
 * not rewritten and its parts are uploaded as before.
 *
 * <p>Which blocks the store lacks is measured on the store's parts (their gap-free chain, what
 * readers read), not on the spool record, which may be one upload behind. If the original is
 * gone (a brigade merged it and deleted it after the grace), the record is all there is: a block
 * published after the last record may then be written again, and readers and the brigade keep
 * one copy of each event id.
 */
final class LeftoverBucket {
    private LeftoverBucket() {
    }

    /** The new bucket: its name (in the original's directory) and its bytes. */
    record Rewrite(String name, byte[] content) {
    }

    /** What to do with an entry: nothing left to write, a rewrite, or not a bucket this applies to. */
    sealed interface Plan permits NothingLeft, Rewritten, NotApplicable {
    }

    /** Every whole block of the spool is in the store already. */
    record NothingLeft() implements Plan {
    }

    /**
     * The blocks the store lacks, as a bucket of their own, and any damage met in the spool
     * beyond them (copied as it is: readers report it and read on, as they would have).
     */
    record Rewritten(Rewrite rewrite, List<CorruptionReport> damage) implements Plan {
    }

    /** Not a writer's data bucket of block format 2: its parts are uploaded as before. */
    record NotApplicable() implements Plan {
    }

    /**
     * Plans the recovery of {@code entry}, a dead writer's object (unsealed, or sealed in the
     * spool only) of which {@code inStore} bytes (from offset 0) are published as parts.
     */
    static Plan plan(SpoolEntry entry, long inStore) throws IOException {
        String name = entry.name();
        int slash = name.lastIndexOf('/');
        StoreLayout.BucketName bucket = StoreLayout.parseBucketName(name.substring(slash + 1));
        if (bucket == null || bucket.merged()) {
            return new NotApplicable(); // an index bucket, or an object the engine did not make
        }
        long size = entry.size();
        byte[] headBytes = entry.read(0, (int) Math.min(size, BucketHeader.MAX_BYTES));
        ByteSource in = new ByteSource(headBytes);
        BucketHeader header;
        try {
            header = BucketHeader.readFrom(in);
        } catch (CorruptDataException torn) {
            // killed before its header was whole: no event in it was acknowledged
            return new NothingLeft();
        }
        long blocksStart = in.position();
        ReadableObject spool = entry.reading();
        // sealed in the spool: the blocks end at the footer, and nothing is appended before it
        long footer = BucketFile.sealedBlocksEnd(spool, size);
        long blocksEnd = footer >= 0 ? footer : size;
        // where readers of the store's copy stop: the end of the whole frames within its parts
        // (damage there is the store's copy's too, and its readers report it)
        long readable = BlockFrames.scan(spool, name, blocksStart,
                Math.max(blocksStart, Math.min(inStore, blocksEnd)), report -> { },
                (offset, frameLength, body, off, len) -> { });
        List<CorruptionReport> damage = new ArrayList<>();
        int[] frames = {0};
        boolean[] format1 = {false};
        long end = BlockFrames.scan(spool, name, readable, blocksEnd, footer >= 0, damage::add,
                (offset, frameLength, body, off, len) -> {
            frames[0]++;
            format1[0] |= (body[off] & 0xff) >>> 4 != BlockBuilder.FORMAT;
        });
        if (frames[0] == 0) {
            return new NothingLeft();
        }
        if (format1[0]) {
            return new NotApplicable();
        }
        byte[] digest = digest(name + "|" + entry.incarnation());
        String writer = Long.toUnsignedString(ByteBuffer.wrap(digest, 0, 8).getLong(), 32);
        long sealKey = ByteBuffer.wrap(digest, 8, 8).getLong();
        BucketHeader moved = new BucketHeader(header.codec(), header.windowStart(), header.windowWidth(),
                header.bucketSequence(), sealKey, writer, header.stream());
        ByteSink out = new ByteSink(BucketHeader.MAX_BYTES + (int) (end - readable));
        moved.writeTo(out);
        int headerBytes = out.size();
        byte[] content = new byte[headerBytes + (int) (end - readable)];
        System.arraycopy(out.array(), 0, content, 0, headerBytes);
        byte[] blocks = entry.read(readable, (int) (end - readable));
        System.arraycopy(blocks, 0, content, headerBytes, blocks.length);
        String fileName = StoreLayout.bucketFileName(new StoreLayout.BucketName(bucket.windowStart(), writer,
                bucket.sequence(), bucket.late()));
        return new Rewritten(new Rewrite(name.substring(0, slash + 1) + fileName, content), damage);
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}

package io.bucketlog.backend.s3;

import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.CorruptDataException;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import io.bucketlog.internal.index.IndexFileReader;
import io.bucketlog.internal.read.BucketFile;
import io.bucketlog.internal.read.FrameScanner;
import io.bucketlog.internal.store.StoreLayout;
import io.bucketlog.spi.ReadableObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The "sealed" index entries that recovery leaves out of a dead writer's index buckets: those of
 * the data buckets it sealed in its spool and was killed before uploading whole. Such a bucket
 * stays in the store as the unsealed bucket its parts make, and what the spool held beyond them
 * becomes a bucket of its own ({@link LeftoverBucket} says why); an entry saying it was sealed
 * with all its events and a footer would then be false: readers would report the bucket as
 * truncated, and a brigade would take it as settled at once instead of after
 * {@code abandonAfter}.
 *
 * <p>Only entries beyond what the store has of the index bucket can be left out. The recovery
 * first moves the index's record up to the parts the store holds of its spool (a record one
 * upload behind), then rewrites the spool file from there without those entries, and only then
 * uploads it as parts; a recovery killed and run again finds the rewritten spool, or, with the
 * spool as it was before, makes the same bytes from the same point. An entry its writer had
 * published already (its whole upload failed, the index part went through) stays: nothing is lost
 * or doubled then, and readers report the disagreement between the index and the bucket.
 */
final class WithdrawnSeals {
    // index bucket name -> sequences of its data buckets whose seal is withdrawn
    private final Map<String, Set<Long>> byIndex = new HashMap<>();

    /** Withdraws the seal of the data bucket {@code name} (a dead writer's, in its index window's directory). */
    void add(String name) {
        int slash = name.lastIndexOf('/');
        StoreLayout.BucketName bucket = StoreLayout.parseBucketName(name.substring(slash + 1));
        String index = name.substring(0, slash + 1) + StoreLayout.indexFileName(bucket.writerId());
        byIndex.computeIfAbsent(index, k -> new HashSet<>()).add(bucket.sequence());
    }

    /** The sequences whose "sealed" entries are left out of index bucket {@code name}; empty if none. */
    Set<Long> of(String name) {
        return byIndex.getOrDefault(name, Set.of());
    }

    /**
     * The bytes of {@code index}'s spool from {@code from} on without the "sealed" entries of
     * {@code sequences} that start there or later, or {@code null} if it holds none. Everything
     * else, damage included, is kept byte for byte.
     */
    static byte[] tailWithout(SpoolEntry index, long from, Set<Long> sequences) throws IOException {
        ReadableObject in = index.reading();
        long size = index.size();
        long start;
        try {
            ByteSource header = new ByteSource(BucketFile.readAt(in, 0, (int) Math.min(size, IndexHeader.MAX_BYTES)));
            IndexHeader.readFrom(header);
            start = header.position();
        } catch (CorruptDataException torn) {
            return null; // no entry of it was ever readable
        }
        List<long[]> left = new ArrayList<>();
        FrameScanner entries = new FrameScanner(in, index.name(), Frame.ENTRY_MAGIC, IndexFileReader.MAX_ENTRY,
                report -> { });
        entries.scan(start, size, (at, body, off, len) -> {
            if (at < from) {
                return;
            }
            try {
                if (IndexEntry.readFrom(new ByteSource(body, off, len)) instanceof IndexEntry.Sealed s
                        && sequences.contains(s.bucketSequence())) {
                    left.add(new long[] {at, at + Frame.HEADER_BYTES + len});
                }
            } catch (CorruptDataException damaged) {
                // kept as it is: readers report it, as they would have
            }
        });
        if (left.isEmpty()) {
            return null;
        }
        byte[] tail = new byte[(int) (size - from - left.stream().mapToLong(r -> r[1] - r[0]).sum())];
        int filled = 0;
        long at = from;
        for (long[] range : left) {
            filled = copy(index, at, range[0], tail, filled);
            at = range[1];
        }
        copy(index, at, size, tail, filled);
        return tail;
    }

    private static int copy(SpoolEntry index, long from, long to, byte[] into, int at) throws IOException {
        byte[] b = index.read(from, (int) (to - from));
        System.arraycopy(b, 0, into, at, b.length);
        return at + b.length;
    }
}

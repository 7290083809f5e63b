package io.bucketlog.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.CorruptionReport;
import io.bucketlog.internal.format.BloomFilter;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import io.bucketlog.internal.index.IndexFileReader;
import io.bucketlog.internal.store.StoreLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dead writer's index spool loses the "sealed" entries of the buckets whose seal recovery
 * withdraws, and only those, only where the store does not have them yet, and keeps every other
 * byte as it was.
 */
class WithdrawnSealsTest {
    private static final long WINDOW = 1_764_576_000_000_000_000L;
    private static final String INDEX = StoreLayout.indexFile("s", WINDOW, "w");

    @TempDir
    Path dir;

    @Test
    void aWithdrawnSealLeavesTheEntriesAfterItAsTheyWere() throws IOException {
        SpoolEntry index = SpoolEntry.create(dir, INDEX, "0123456789abcdef", 0);
        append(index, header());
        append(index, frame(new IndexEntry.Opened(1, WINDOW)));
        index.publishedTo(index.size());
        long published = index.size();
        append(index, frame(sealed(1)));
        byte[] opened2 = frame(new IndexEntry.Opened(2, WINDOW));
        append(index, opened2);
        byte[] sealed2 = frame(sealed(2));
        append(index, sealed2);

        byte[] tail = WithdrawnSeals.tailWithout(index, published, Set.of(1L));
        assertThat(tail).as("the entries after it, byte for byte").isEqualTo(concat(opened2, sealed2));

        SpoolEntry rewritten = index.rewrittenFrom(published, tail);
        try {
            assertThat(rewritten.published()).isEqualTo(published);
            List<CorruptionReport> damage = new ArrayList<>();
            List<IndexEntry> entries = new ArrayList<>();
            IndexFileReader.read(rewritten.reading(), INDEX, 0, entries, damage::add);
            assertThat(damage).isEmpty();
            assertThat(entries).map(e -> e.getClass().getSimpleName() + " " + sequence(e))
                    .containsExactly("Opened 1", "Opened 2", "Sealed 2");
            assertThat(WithdrawnSeals.tailWithout(rewritten, published, Set.of(1L)))
                    .as("nothing more to leave out: a recovery run again writes the same").isNull();
        } finally {
            rewritten.closeChannel();
        }
    }

    @Test
    void aSealTheStoreHasAlreadyStays() throws IOException {
        SpoolEntry index = SpoolEntry.create(dir, INDEX, "0123456789abcdef", 0);
        try {
            append(index, header());
            append(index, frame(new IndexEntry.Opened(1, WINDOW)));
            append(index, frame(sealed(1)));
            long inStore = index.size();
            append(index, frame(new IndexEntry.Opened(2, WINDOW)));
            assertThat(WithdrawnSeals.tailWithout(index, inStore, Set.of(1L))).isNull();
            assertThat(WithdrawnSeals.tailWithout(index, 0, Set.of(2L))).as("bucket 2 was not sealed").isNull();
        } finally {
            index.closeChannel();
        }
    }

    @Test
    void aBucketsSealIsWithdrawnFromItsWritersIndexOfItsWindow() {
        WithdrawnSeals withdrawn = new WithdrawnSeals();
        withdrawn.add(StoreLayout.bucketFile("s", WINDOW, new StoreLayout.BucketName(WINDOW + 60_000_000_000L, "w",
                3, false, false)));
        withdrawn.add(StoreLayout.bucketFile("s", WINDOW, new StoreLayout.BucketName(WINDOW, "w", 4, true, false)));
        withdrawn.add(StoreLayout.bucketFile("s", WINDOW, new StoreLayout.BucketName(WINDOW, "v", 5, false, false)));
        assertThat(withdrawn.of(INDEX)).containsExactlyInAnyOrder(3L, 4L);
        assertThat(withdrawn.of(StoreLayout.indexFile("s", WINDOW, "v"))).containsExactly(5L);
        assertThat(withdrawn.of(StoreLayout.indexFile("s", WINDOW + 3_600_000_000_000L, "w"))).isEmpty();
    }

    private static IndexEntry.Sealed sealed(long sequence) {
        BloomFilter keys = BloomFilter.forKeys(1);
        keys.add("k");
        return new IndexEntry.Sealed(sequence, WINDOW, WINDOW + 1, 1, 100, 80, keys);
    }

    private static long sequence(IndexEntry e) {
        return e instanceof IndexEntry.Opened o ? o.bucketSequence() : ((IndexEntry.Sealed) e).bucketSequence();
    }

    private static byte[] header() {
        ByteSink out = new ByteSink(256);
        new IndexHeader(WINDOW, 3_600_000_000_000L, "w", "s").writeTo(out);
        return out.toByteArray();
    }

    /** {@code entry} framed as an index bucket holds it. */
    static byte[] frame(IndexEntry entry) {
        ByteSink out = new ByteSink(256);
        int at = Frame.open(out);
        entry.writeTo(out);
        Frame.close(out, at, Frame.ENTRY_MAGIC);
        return out.toByteArray();
    }

    private static void append(SpoolEntry entry, byte[] bytes) throws IOException {
        entry.append(bytes, 0, bytes.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

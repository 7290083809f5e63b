package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.internal.format.BloomFilter;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.Frame;
import io.bucketlog.internal.format.IndexEntry;
import io.bucketlog.internal.format.IndexHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index bucket replaced by another file under the same name (retention deleted its window, a
 * late event re-created it) is read from its start, whatever its size.
 */
class IndexCacheTest {
    @TempDir
    Path dir;

    /** An index bucket holding a "sealed" entry per sequence; same count, same size. */
    private static byte[] index(long... sealedSequences) {
        ByteSink out = new ByteSink(256);
        new IndexHeader(0, 4_000_000_000L, "w1", "s").writeTo(out);
        for (long seq : sealedSequences) {
            int at = Frame.open(out);
            new IndexEntry.Sealed(seq, 10, 20, 3, 100, 50, BloomFilter.forKeys(4)).writeTo(out);
            Frame.close(out, at, Frame.ENTRY_MAGIC);
        }
        return out.toByteArray();
    }

    /** Replaces {@code file} the way a delete and re-create does: a new file under the name. */
    private void replace(Path file, byte[] content) throws IOException {
        Path tmp = dir.resolve("new.tmp");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aReplacedFileOfTheSameSizeIsReadAgain() throws IOException {
        Path file = dir.resolve("index-w1.idx");
        Files.write(file, index(1));
        IndexCache cache = new IndexCache(16, new ReaderBean());
        assertThat(cache.refresh(TestObjects.object(file)).view().sealed()).containsOnlyKeys(1L);

        byte[] other = index(2);
        assertThat(other).hasSize((int) Files.size(file));
        replace(file, other);
        assertThat(cache.refresh(TestObjects.object(file)).view().sealed()).containsOnlyKeys(2L);
        assertThat(cache.refresh(TestObjects.object(file)).view().corruptions()).isEmpty();
    }

    @Test
    void aReplacedLargerFileIsReadFromItsStart() throws IOException {
        Path file = dir.resolve("index-w1.idx");
        Files.write(file, index(1));
        IndexCache cache = new IndexCache(16, new ReaderBean());
        assertThat(cache.refresh(TestObjects.object(file)).view().sealed()).containsOnlyKeys(1L);

        replace(file, index(3, 4));
        assertThat(cache.refresh(TestObjects.object(file)).view().sealed()).containsOnlyKeys(3L, 4L);
    }

    @Test
    void aGrowingFileIsReadOnlyFromWhereTheLastReadStopped() throws IOException {
        Path file = dir.resolve("index-w1.idx");
        byte[] one = index(1);
        Files.write(file, one);
        IndexCache cache = new IndexCache(16, new ReaderBean());
        cache.refresh(TestObjects.object(file));
        byte[] two = index(1, 2);
        Files.write(file, java.util.Arrays.copyOfRange(two, one.length, two.length),
                java.nio.file.StandardOpenOption.APPEND);
        var r = cache.refresh(TestObjects.object(file));
        assertThat(r.view().sealed()).containsOnlyKeys(1L, 2L);
        assertThat(r.bytesRead()).isEqualTo(two.length - one.length);
        assertThat(cache.refresh(TestObjects.object(file)).bytesRead()).isZero();
    }
}

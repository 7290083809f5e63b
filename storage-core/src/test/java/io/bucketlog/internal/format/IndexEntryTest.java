package io.bucketlog.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IndexEntryTest {
    @Test
    void anOpenedEntryIsWrittenWithoutADirectoryNumber() {
        ByteSink out = new ByteSink(32);
        new IndexEntry.Opened(7, 123_000L).writeTo(out);
        assertThat(out.size()).isEqualTo(1 + 8 + 8);
        assertThat(out.array()[0]).isEqualTo((byte) IndexEntry.OPENED);
        assertThat(IndexEntry.readFrom(new ByteSource(out.toByteArray())))
                .isEqualTo(new IndexEntry.Opened(7, 123_000L));
    }

    @Test
    void anOpenedEntryOfTheFirstFormIsStillReadItsDirectoryNumberDropped() {
        ByteSink out = new ByteSink(32); // as written before: type 1, sequence, window, u16 root
        out.writeByte(IndexEntry.OPENED_WITH_ROOT);
        out.writeLong(7);
        out.writeLong(123_000L);
        out.writeShort(3);
        ByteSource in = new ByteSource(out.toByteArray());
        assertThat(IndexEntry.readFrom(in)).isEqualTo(new IndexEntry.Opened(7, 123_000L));
        assertThat(in.remaining()).isZero();
    }
}

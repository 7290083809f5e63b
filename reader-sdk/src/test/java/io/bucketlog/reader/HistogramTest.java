package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.Event;
import io.bucketlog.LogAttributes;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramTest {
    static final long S = TestStore.SECOND;
    static final int EVENTS = 3000;

    @TempDir
    Path dir;
    long base;

    /** 3000 events over 60 s, 50 a second, some written late, in many small sealed buckets. */
    @BeforeEach
    void write() {
        base = (TestStore.nowNanos() / S - 300) / 4 * 4 * S;
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
            try (Writer w = store.writer(TestStore.writerOptions(4))) {
                for (int i = 0; i < EVENTS; i++) {
                    int j = i % 97 == 0 ? EVENTS - 1 - i : i; // a few late events
                    w.append("s", "user" + (i % 7), base + j * (S / 50),
                            Map.of(LogAttributes.LEVEL, i % 5 == 0 ? "ERROR" : "INFO"),
                            ("event " + i).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** What a histogram must say: the events of the query, binned one by one. */
    private static long[] expected(List<Event> events, long from, long bin, int bins) {
        long[] out = new long[bins];
        for (Event e : events) {
            out[(int) ((e.timestampNanos() - from) / bin)]++;
        }
        return out;
    }

    @Test
    void anUnfilteredHistogramCountsMostBlocksFromTheirTablesAndMatchesTheEvents() {
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            long from = base + 3 * S + S / 3;
            long to = base + 50 * S;
            long bin = 5 * S;
            Histogram h = reader.query("s").fromNanos(from).toNanos(to).histogram(bin);
            List<Event> events = reader.query("s").fromNanos(from).toNanos(to).list();

            assertThat(h.counts()).containsExactly(expected(events, from, bin, 10));
            assertThat(h.total()).isEqualTo(events.size());
            assertThat(h.blocksCounted()).isGreaterThan(h.blocksDecoded());
        }
    }

    @Test
    void aHistogramWithAKeyOrAFilterDecodesAndCountsOnlyMatchingEvents() {
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            long from = base;
            long to = base + 61 * S;
            long bin = 2 * S;
            Histogram byKey = reader.query("s").key("user3").fromNanos(from).toNanos(to).histogram(bin);
            assertThat(byKey.counts()).containsExactly(expected(
                    reader.query("s").key("user3").fromNanos(from).toNanos(to).list(), from, bin, 31));
            assertThat(byKey.blocksCounted()).isZero();

            Histogram errors = reader.query("s").minLevel("ERROR").fromNanos(from).toNanos(to)
                    .histogram(bin);
            assertThat(errors.counts()).containsExactly(expected(
                    reader.query("s").minLevel("ERROR").fromNanos(from).toNanos(to).list(), from, bin, 31));
            assertThat(errors.total()).isEqualTo(EVENTS / 5);
        }
    }

    @Test
    void blocksOfABucketStillBeingWrittenAreCountedFromTheirFrameHeaders() {
        long start = base + 100 * S;
        try (Store store = Store.open(dir);
             Writer w = store.writer(TestStore.writerOptions(4));
             BucketlogReader reader = BucketlogReader.open(dir)) {
            store.createStream("open", StreamConfig.builder().bucketBytes(1 << 20).blockBytes(512)
                    .bucketWidth(java.time.Duration.ofHours(1)).build());
            for (int i = 0; i < 500; i++) {
                w.append("open", "k", start + i * (S / 10), Map.of(),
                        ("open event " + i).getBytes(StandardCharsets.UTF_8));
            }
            TestStore.flush(w); // handed to the OS, the bucket not sealed
            Histogram h = reader.query("open").fromNanos(start).toNanos(start + 50 * S).histogram(10 * S);
            assertThat(h.counts()).containsExactly(100, 100, 100, 100, 100);
            assertThat(h.blocksCounted()).isGreaterThan(h.blocksDecoded());
        }
    }

    @Test
    void aHistogramNeedsAnEndAndABoundedNumberOfBins() {
        try (BucketlogReader reader = BucketlogReader.open(dir)) {
            assertThatThrownBy(() -> reader.query("s").fromNanos(base).histogram(S))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("end");
            assertThatThrownBy(() -> reader.query("s").fromNanos(base).toNanos(base + 20_000 * S)
                    .histogram(S)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most 10000 bins");
        }
    }
}

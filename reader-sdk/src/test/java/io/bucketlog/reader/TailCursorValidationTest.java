package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.Writer;
import io.bucketlog.internal.format.ByteSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tail cursors come from outside: stale, forged or damaged ones are clamped or rejected. */
class TailCursorValidationTest {
    static final long S = TestStore.SECOND;
    static final String WRITER = "k3x9q2b7wzm4a";

    @TempDir
    Path dir;

    private static String cursor(long floor, TailPosition.Bucket... buckets) {
        return Cursor.ofTail(new TailPosition(floor, null, List.of(buckets))).toString();
    }

    @Test
    void aFloorInTheFutureIsClampedToNow() {
        try (Store store = Store.open(dir)) {
            store.createStream("s", TestStore.smallConfig());
            String future = cursor(TestStore.nowNanos() + 86_400 * S);
            try (Writer w = store.writer(TestStore.writerOptions(2));
                 BucketlogReader reader = BucketlogReader.open(dir);
                 TailIterator tail = reader.tail("s").from(future).iterator()) {
                w.append("s", "k", TestStore.nowNanos(), Map.of(),
                        "now".getBytes(StandardCharsets.UTF_8));
                TestStore.flush(w);
                Event e = tail.poll(Duration.ofSeconds(30));
                assertThat(e).isNotNull();
                assertThat(e.bodyText()).isEqualTo("now");
            }
        }
    }

    @Test
    void anOffsetInsideTheBucketHeaderIsRejected() {
        String bad = cursor(0, new TailPosition.Bucket(WRITER, 0, 0, 5, 0));
        assertThatThrownBy(() -> Cursor.parse(bad)).isInstanceOf(InvalidCursorException.class)
                .hasMessageContaining("offset 5").hasMessageContaining("inside its header");
        // 0 means "header not read yet"; the first block offset is where blocks start.
        long first = TailPosition.firstBlockOffset(WRITER, "s");
        for (long ok : new long[] {0, first}) {
            String good = cursor(0, new TailPosition.Bucket(WRITER, 0, 0, ok, 0));
            assertThat(Cursor.parse(good).tail().buckets().get(0).offset()).isEqualTo(ok);
        }
    }

    @Test
    void anOffsetInsideTheHeaderOfThisStreamsBucketsIsRejectedWhenTheTailStarts() {
        // Passes the check for any stream (the shortest name) but not for a longer stream name.
        long inside = TailPosition.firstBlockOffset(WRITER, "s") + 3;
        assertThat(inside).isLessThan(TailPosition.firstBlockOffset(WRITER, "events"));
        String c = cursor(0, new TailPosition.Bucket(WRITER, 0, 0, inside, 0));
        try (Store store = Store.open(dir)) {
            store.createStream("events", TestStore.smallConfig());
            try (BucketlogReader reader = BucketlogReader.open(dir)) {
                Tail tail = reader.tail("events").from(c);
                assertThatThrownBy(tail::iterator).isInstanceOf(InvalidCursorException.class)
                        .hasMessageContaining("offset " + inside).hasMessageContaining("events");
            }
        }
    }

    @Test
    void tooManyBucketsAreRejected() {
        List<TailPosition.Bucket> many = new ArrayList<>();
        for (int i = 0; i <= TailPosition.MAX_BUCKETS; i++) {
            many.add(new TailPosition.Bucket(WRITER, 0, i, 0, 0));
        }
        String c = Cursor.ofTail(new TailPosition(0, null, many)).toString();
        assertThat(c.length()).isLessThan(TailPosition.MAX_CHARS);
        assertThatThrownBy(() -> Cursor.parse(c)).isInstanceOf(InvalidCursorException.class)
                .hasMessageContaining("more than " + TailPosition.MAX_BUCKETS);
    }

    @Test
    void anOversizedCursorIsRejectedBeforeDecoding() {
        String c = TailPosition.PREFIX + "A".repeat(TailPosition.MAX_CHARS);
        assertThatThrownBy(() -> Cursor.parse(c)).isInstanceOf(InvalidCursorException.class)
                .hasMessageContaining("longer than " + TailPosition.MAX_CHARS);
    }

    @Test
    void aBucketListedTwiceOrTooManyDeliveredRecordsAreRejected() {
        long first = TailPosition.firstBlockOffset(WRITER, "s");
        TailPosition.Bucket b = new TailPosition.Bucket(WRITER, 0, 7, first, 0);
        assertThatThrownBy(() -> Cursor.parse(cursor(0, b, b)))
                .isInstanceOf(InvalidCursorException.class).hasMessageContaining("listed twice");
        String huge = cursor(0, new TailPosition.Bucket(WRITER, 0, 7, first, Integer.MAX_VALUE));
        assertThatThrownBy(() -> Cursor.parse(huge)).isInstanceOf(InvalidCursorException.class);
    }

    @Test
    void aCursorOfTheFirstFormatIsStillReadWithItsPositionsUnrecorded() {
        ByteSink out = new ByteSink(64);
        out.writeVarLong(5 * S);   // floor
        out.writeByte(0);          // no event position
        out.writeVarInt(1);
        out.writeString(WRITER);
        out.writeVarInt(1);        // one bucket: writer 0, window 0, sequence 7, offset 0, 0 delivered
        out.writeVarInt(0);
        out.writeVarLong(0);
        out.writeVarLong(7);
        out.writeVarLong(0);
        out.writeVarInt(0);
        String t1 = "t1" + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
        TailPosition p = Cursor.parse(t1).tail();
        assertThat(p.floorNanos()).isEqualTo(5 * S);
        assertThat(p.buckets()).containsExactly(new TailPosition.Bucket(WRITER, 0, 7, 0, 0, false));
        assertThat(p.delivered().runs()).isZero();
        assertThat(Cursor.parse(Cursor.ofTail(p).toString()).tail().buckets()).isEqualTo(p.buckets());
    }
}

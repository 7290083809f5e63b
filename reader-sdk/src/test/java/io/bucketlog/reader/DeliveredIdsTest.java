package io.bucketlog.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.EventId;
import io.bucketlog.internal.format.ByteSink;
import io.bucketlog.internal.format.ByteSource;
import io.bucketlog.internal.format.CorruptDataException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeliveredIdsTest {
    private static final long HOUR = 3_600_000_000_000L;

    @Test
    void sequencesAddedInAnyOrderJoinIntoOneRunAndEachIsInOnce() {
        List<Long> seqs = new ArrayList<>();
        for (long s = 0; s < 500; s++) {
            seqs.add(s);
        }
        Collections.shuffle(seqs, new Random(5));
        DeliveredIds ids = new DeliveredIds();
        for (long s : seqs) {
            assertThat(ids.add(HOUR, new EventId("w", s))).isTrue();
            assertThat(ids.add(HOUR, new EventId("w", s))).as("again").isFalse();
        }
        assertThat(ids.runs()).isEqualTo(1);
        assertThat(ids.contains(HOUR, new EventId("w", 499))).isTrue();
        assertThat(ids.contains(HOUR, new EventId("w", 500))).isFalse();
        assertThat(ids.contains(0, new EventId("w", 3))).as("another window").isFalse();
        assertThat(ids.contains(HOUR, new EventId("v", 3))).as("another writer").isFalse();
    }

    @Test
    void itHoldsExactlyWhatWasAddedAndACursorCarriesIt() {
        Random r = new Random(11);
        DeliveredIds ids = new DeliveredIds();
        Map<Long, Set<EventId>> model = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            long window = r.nextInt(3) * HOUR;
            EventId id = new EventId("w" + r.nextInt(3), r.nextInt(2000));
            assertThat(ids.add(window, id)).isEqualTo(model.computeIfAbsent(window, w -> new HashSet<>()).add(id));
        }
        ByteSink out = new ByteSink(64);
        ids.encode(out, Map.of("w0", 0, "w1", 1, "w2", 2));
        DeliveredIds read = DeliveredIds.decode(new ByteSource(out.toByteArray()), List.of("w0", "w1", "w2"));
        DeliveredIds copy = ids.copy();
        ids.add(0, new EventId("w0", 1_000_000)); // neither the copy nor the decoded one changes
        assertThat(read.runs()).isEqualTo(copy.runs());
        for (long window = 0; window < 3 * HOUR; window += HOUR) {
            for (int w = 0; w < 3; w++) {
                for (long s = 0; s <= 2000; s++) {
                    EventId id = new EventId("w" + w, s);
                    boolean in = model.get(window).contains(id);
                    assertThat(read.contains(window, id)).isEqualTo(in);
                    assertThat(copy.contains(window, id)).isEqualTo(in);
                }
            }
        }
        assertThat(copy.contains(0, new EventId("w0", 1_000_000))).isFalse();
    }

    @Test
    void windowsThePredicateRejectsAreDropped() {
        DeliveredIds ids = new DeliveredIds();
        ids.add(0, new EventId("w", 1));
        ids.add(HOUR, new EventId("w", 5));
        ids.retain(window -> window >= HOUR);
        assertThat(ids.contains(0, new EventId("w", 1))).isFalse();
        assertThat(ids.contains(HOUR, new EventId("w", 5))).isTrue();
        assertThat(ids.runs()).isEqualTo(1);
    }

    @Test
    void overlappingOrOutOfOrderRunsInACursorAreRejected() {
        ByteSink out = new ByteSink(64);
        out.writeVarInt(1);     // one window
        out.writeVarLong(HOUR);
        out.writeVarInt(1);     // one writer
        out.writeVarInt(0);
        out.writeVarInt(2);     // two runs: [3, 5], then a "gap" that overflows back below it
        out.writeVarLong(3);
        out.writeVarLong(2);
        out.writeVarLong(Long.MAX_VALUE);
        out.writeVarLong(0);
        assertThatThrownBy(() -> DeliveredIds.decode(new ByteSource(out.toByteArray()), List.of("w")))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("bad run");
    }
}

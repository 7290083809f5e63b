package io.bucketlog;

import static io.bucketlog.Fixtures.body;
import static io.bucketlog.Fixtures.nowNanos;
import static io.bucketlog.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loss reports carry exact counts: each since the previous report, and every total at close. */
class LossReportTest {
    @TempDir
    Path dir;

    @Test
    void reportsAddUpToTheFinalTotalsByReason() throws Exception {
        List<LossReport> reports = new CopyOnWriteArrayList<>();
        WriterTest.Stall stall = new WriterTest.Stall();
        try (Store store = Store.open(dir)) {
            store.createStream("s", StreamConfig.builder().bucketBytes(1 << 20).build());
            Writer w = store.writer(options().ringSize(4).errorListener(stall)
                    .lossReportInterval(Duration.ofMillis(1)).lossListener(reports::add).build());
            stall.stall(w); // "blocker" is an unknown stream: one rejected event
            for (int i = 0; i < 3; i++) {
                assertThat(w.append("s", "k", nowNanos(), Map.of(), body(i, 10))).isTrue();
            }
            for (int i = 3; i < 13; i++) {
                assertThat(w.append("s", "k", nowNanos(), Map.of(), body(i, 10))).isFalse();
            }
            stall.release.countDown();
            Fixtures.await("the first report", () -> !reports.isEmpty());
            LossReport first = reports.get(0);
            assertThat(first.closing()).isFalse();
            assertThat(first.sinceLastReport().droppedRingFull()).isEqualTo(10);
            assertThat(first.sinceLastReport().rejectedUnknownStream()).isEqualTo(1);
            assertThat(first.toString()).contains("lost 11 events since the last report (ring full 10, "
                    + "unknown stream 1)");

            Fixtures.flush(w); // the ring is free again: the next two events are not dropped
            w.append("nope", "k", nowNanos(), Map.of(), body(20, 10));
            w.append("nope", "k", nowNanos(), Map.of(), body(21, 10));
            // Reported in one or two reports, as the writer's checks fall between the two events.
            Fixtures.await("the later reports", () -> reports.get(reports.size() - 1).total().lost() == 13);
            List<LossReport> later = reports.subList(1, reports.size());
            assertThat(later).hasSizeBetween(1, 2).allMatch(r -> !r.closing());
            assertThat(later.stream().mapToLong(r -> r.sinceLastReport().rejectedUnknownStream()).sum())
                    .isEqualTo(2);
            assertThat(later.stream().mapToLong(r -> r.sinceLastReport().lost()).sum()).isEqualTo(2);

            w.close();
            LossReport last = reports.get(reports.size() - 1);
            assertThat(last.closing()).isTrue();
            WriterStats total = w.stats();
            assertThat(last.total()).isEqualTo(total);
            assertThat(total.appended()).isEqualTo(16);
            assertThat(total.written()).isEqualTo(3);
            assertThat(total.lost()).isEqualTo(13);
            assertThat(reports.stream().mapToLong(r -> r.sinceLastReport().lost()).sum())
                    .isEqualTo(total.lost());
            assertThat(last.toString()).contains("closed: 16 events appended, 3 written, 13 lost "
                    + "(ring full 10, unknown stream 3)");

            // After the final report, an append to the closed writer is still counted.
            assertThat(w.append("s", "k", nowNanos(), Map.of(), body(30, 10))).isFalse();
            assertThat(w.stats().droppedClosed()).isEqualTo(1);
        }
    }
}

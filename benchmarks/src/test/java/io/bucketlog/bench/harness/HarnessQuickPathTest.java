package io.bucketlog.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole harness on tiny sizes, with real child JVMs, so that it cannot rot: every
 * configuration appears in the table, lossless configurations persist exactly what they produced
 * (counted by reading the output back), and Bucketlog and RocksDB answer the timeline queries
 * identically. Speed is not checked here.
 */
class HarnessQuickPathTest {
    private static final long EVENTS = 20_000;

    @TempDir
    static Path work;

    private static Report report;

    @BeforeAll
    static void runHarness() {
        HarnessOptions tiny = new HarnessOptions(EVENTS, EVENTS, HarnessOptions.PACED_RATE, EVENTS,
                400, 200, 2, EVENTS, 1, work, false, EnumSet.allOf(HarnessOptions.Section.class));
        report = new Harness(tiny, new PrintStream(OutputStream.nullOutputStream())).run();
    }

    @Test
    void everyLoggingConfigurationHasARowPerThreadCountAndAPacedRow() {
        for (LogConfig c : LogConfig.values()) {
            for (String threads : new String[] {"1", "2"}) {
                assertThat(report.find(Harness.THROUGHPUT, c.title, threads))
                        .as("%s with %s thread(s)", c.title, threads).isNotNull();
            }
            assertThat(report.find(Harness.PACED, c.title, "1")).as(c.title).isNotNull();
        }
        String table = report.render();
        for (LogConfig c : LogConfig.values()) {
            assertThat(table).contains(c.title);
        }
        assertThat(table).contains(Harness.ROCKSDB, Harness.TAIL, "Targets");
    }

    @Test
    void everyAppenderRowIsAlsoARatioToItsFrameworksFloorOfTheSameRun() {
        for (LogConfig c : LogConfig.values()) {
            for (String threads : new String[] {"1", "2"}) {
                Report.Row r = report.find(Harness.THROUGHPUT, c.title, threads);
                Report.Row floor = report.find(Harness.THROUGHPUT, c.floor().title, threads);
                if (c.isFloor()) {
                    assertThat(r.notes).as(c.title).doesNotContainKey(Report.OF_FLOOR);
                } else {
                    assertThat(r.median(Report.OF_FLOOR)).as("%s, %s thread(s)", c.title, threads)
                            .isCloseTo(r.median(Report.RATE) / floor.median(Report.RATE),
                                    within(1e-9));
                }
            }
        }
        assertThat(report.render()).contains("x floor", "(floor) (target >= 0.7)");
    }

    @Test
    void losslessConfigurationsPersistEveryEventTheyProduced() {
        for (LogConfig c : LogConfig.values()) {
            for (String[] row : new String[][] {{Harness.THROUGHPUT, "1"},
                    {Harness.THROUGHPUT, "2"}, {Harness.PACED, "1"}}) {
                Report.Row r = report.find(row[0], c.title, row[1]);
                assertThat(r.median(Report.PRODUCED)).isEqualTo(EVENTS);
                if (c.lossless) {
                    assertThat(r.median(Report.PERSISTED)).as("%s %s", c.title, row[0])
                            .isEqualTo(EVENTS);
                } else {
                    assertThat(r.median(Report.PERSISTED)).as("%s %s", c.title, row[0])
                            .isPositive().isLessThanOrEqualTo(EVENTS);
                }
            }
        }
    }

    @Test
    void bucketlogAndRocksDbStoreTheSameTimelineAndAnswerAlike() {
        for (String store : new String[] {Harness.BUCKETLOG, Harness.ROCKSDB}) {
            assertThat(report.find(Harness.TIMELINE_INGEST, store, "1").median(Report.PERSISTED))
                    .as(store).isEqualTo(EVENTS);
            assertThat(report.find(Harness.SCAN, store, "1").median(Report.PERSISTED))
                    .as(store).isEqualTo(EVENTS);
        }
        for (String q : new String[] {Harness.LATEST, Harness.RANGE}) {
            double ours = report.find(q, Harness.BUCKETLOG, "1").median("events found");
            double rocks = report.find(q, Harness.ROCKSDB, "1").median("events found");
            assertThat(ours).as(q).isPositive().isEqualTo(rocks);
        }
    }

    @Test
    void onS3TheIngestStoresEveryEventAndEachTailDeliversEveryEventWithTheRequestsCounted() {
        Report.Row ingest = report.find(S3Rows.INGEST, Harness.BUCKETLOG, "1");
        assertThat(ingest.median(Report.PERSISTED)).isEqualTo(EVENTS);
        assertThat(ingest.median(S3Cost.PUTS)).as("parts, seals and index entries were uploaded").isPositive();
        assertThat(ingest.median(S3Cost.DOLLARS)).isPositive();
        for (int poll : S3Rows.POLLS) {
            Report.Row tail = report.find(S3Rows.TAIL, S3Rows.tailConfig(poll), "1");
            assertThat(tail.median(Report.PERSISTED)).as("poll %d ms", poll).isEqualTo(tail.median(Report.PRODUCED))
                    .isPositive();
            assertThat(tail.median(S3Rows.TAIL_LISTS)).as("the tail lists while it polls").isPositive();
        }
        assertThat(report.render()).contains(S3Rows.INGEST, S3Rows.TAIL, "S3 Standard");
    }

    @Test
    void theTailDeliversEveryEventOfTheOtherProcess() {
        Report.Row tail = report.find(Harness.TAIL, Harness.BUCKETLOG, "1");
        assertThat(tail.median(Report.PERSISTED)).isEqualTo(tail.median(Report.PRODUCED))
                .isPositive();
    }
}

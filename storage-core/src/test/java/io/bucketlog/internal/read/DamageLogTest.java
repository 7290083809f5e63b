package io.bucketlog.internal.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.CorruptionReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DamageLogTest {
    private final List<CorruptionReport> told = new ArrayList<>();
    private final DamageLog log = new DamageLog(told::add);

    @Test
    void eachPlaceIsToldOnceAndThenCounted() {
        String a = Path.of("a.bkt").toString();
        for (int i = 0; i < 200; i++) { // an idle tail polling a damaged file
            log.report(new CorruptionReport(a, 12, "damaged frame: " + i + " bytes skipped"));
        }
        log.report(new CorruptionReport(a, 99, "block CRC mismatch"));
        assertThat(told).hasSize(2);
        assertThat(log.reports()).extracting(CorruptionReport::problem).containsExactly(
                "damaged frame: 0 bytes skipped (seen 199 more times)", "block CRC mismatch");
    }

    @Test
    void beyondTheKeptPlacesNewPlacesAreStillToldAndEveryReportCounted() {
        for (int i = 0; i < DamageLog.MAX_LOCATIONS + 5; i++) {
            log.report(new CorruptionReport(Path.of("f" + i).toString(), 0, "bad"));
        }
        assertThat(told).as("a place never met before is always told").hasSize(DamageLog.MAX_LOCATIONS + 5);
        log.report(new CorruptionReport(Path.of("f0").toString(), 0, "bad")); // pushed out: told again
        assertThat(told).hasSize(DamageLog.MAX_LOCATIONS + 6);
        List<CorruptionReport> reports = log.reports();
        assertThat(reports).hasSize(DamageLog.MAX_LOCATIONS + 1);
        assertThat(reports.get(reports.size() - 1).problem()).startsWith("6 more reports");
        assertThat(log.isEmpty()).isFalse();
        assertThat(new DamageLog(r -> { }).isEmpty()).isTrue();
    }
}

package io.bucketlog.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketlog.bench.harness.HarnessOptions.Section;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class HarnessOptionsTest {
    @Test
    void withoutOnlyEverySectionRunsAtTheDocumentedSizes() {
        HarnessOptions o = HarnessOptions.parse(new String[] {"--runs", "3"});
        assertThat(o.only()).isEqualTo(EnumSet.allOf(Section.class));
        assertThat(o.logEvents()).isEqualTo(5_000_000);
        assertThat(o.runs()).isEqualTo(3);
    }

    @Test
    void onlyLoggingRunsTheThroughputAndPacedRowsAndOnlyAddsUp() {
        assertThat(HarnessOptions.parse(new String[] {"--only", "logging"}).only())
                .containsExactlyInAnyOrder(Section.THROUGHPUT, Section.PACED);
        String[] twice = {"--only", "throughput", "--only", "tail"};
        assertThat(HarnessOptions.parse(twice).only())
                .containsExactlyInAnyOrder(Section.THROUGHPUT, Section.TAIL);
    }

    @Test
    void logEventsSetsTheThroughputSizeOnly() {
        HarnessOptions o = HarnessOptions.parse(
                new String[] {"--quick", "--log-events", "2000000"});
        assertThat(o.logEvents()).isEqualTo(2_000_000);
        assertThat(o.pacedEvents()).isEqualTo(HarnessOptions.quick(o.workDir()).pacedEvents());
    }

    @Test
    void anUnknownSectionOrANonPositiveSizeIsRefusedWithTheReason() {
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--only", "everything"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown section 'everything'");
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--log-events", "0"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--log-events must be positive");
    }
}

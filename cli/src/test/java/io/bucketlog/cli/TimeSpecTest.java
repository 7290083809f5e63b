package io.bucketlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeSpecTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:15:30.5Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static long nanos(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void relativeAgesCountBackFromNow() {
        assertThat(TimeSpec.parse("10m", CLOCK, ZoneOffset.UTC)).isEqualTo(nanos("2026-11-26T10:05:30.5Z"));
        assertThat(TimeSpec.parse("2h", CLOCK, ZoneOffset.UTC)).isEqualTo(nanos("2026-11-26T08:15:30.5Z"));
        assertThat(TimeSpec.parse("3d ago", CLOCK, ZoneOffset.UTC)).isEqualTo(nanos("2026-11-23T10:15:30.5Z"));
        assertThat(TimeSpec.parse("1w", CLOCK, ZoneOffset.UTC)).isEqualTo(nanos("2026-11-19T10:15:30.5Z"));
        assertThat(TimeSpec.parse("now", CLOCK, ZoneOffset.UTC)).isEqualTo(nanos("2026-11-26T10:15:30.5Z"));
    }

    @Test
    void namedDaysAreMidnightInTheZone() {
        assertThat(TimeSpec.parse("today", CLOCK, PARIS)).isEqualTo(nanos("2026-11-25T23:00:00Z"));
        assertThat(TimeSpec.parse("yesterday", CLOCK, ZoneOffset.UTC)).isEqualTo(nanos("2026-11-25T00:00:00Z"));
    }

    @Test
    void isoFormsWithAndWithoutOffset() {
        assertThat(TimeSpec.parse("2026-11-26T10:00:00Z", CLOCK, PARIS)).isEqualTo(nanos("2026-11-26T10:00:00Z"));
        assertThat(TimeSpec.parse("2026-11-26T10:00:00+02:00", CLOCK, PARIS)).isEqualTo(nanos("2026-11-26T08:00:00Z"));
        assertThat(TimeSpec.parse("2026-11-26 10:00", CLOCK, PARIS)).isEqualTo(nanos("2026-11-26T09:00:00Z"));
        assertThat(TimeSpec.parse("2026-11-26", CLOCK, ZoneOffset.UTC)).isEqualTo(nanos("2026-11-26T00:00:00Z"));
    }

    @Test
    void garbageIsAClearError() {
        assertThatThrownBy(() -> TimeSpec.parse("last tuesday", CLOCK, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read time 'last tuesday'");
    }
}

package io.bucketlog.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowNameTest {
    @Test
    void aWindowNameParsesBackToItsStartToTheSecond() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            long start = (random.nextLong() & Long.MAX_VALUE) % 4_000_000_000L * 1_000_000_000L;
            assertThat(StoreLayout.parseWindowName(StoreLayout.windowName(start))).isEqualTo(start);
        }
        assertThat(StoreLayout.parseWindowName("20240229T235959Z"))
                .isEqualTo(java.time.Instant.parse("2024-02-29T23:59:59Z").getEpochSecond() * 1_000_000_000L);
    }

    @Test
    void aWindowNameIsWhatTheFormatterWrites() {
        java.time.format.DateTimeFormatter formatter = java.time.format.DateTimeFormatter
                .ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
        Random random = new Random(12);
        long[] edges = {0, -1, Long.MAX_VALUE, Long.MIN_VALUE + 1,
                java.time.Instant.parse("0000-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L,
                java.time.Instant.parse("0000-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L - 1,
                java.time.Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() * 1_000_000_000L,
                java.time.Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() * 1_000_000_000L
                        + 1_000_000_000L};
        for (int i = 0; i < 20_000 + edges.length; i++) {
            long start = i < edges.length ? edges[i] : random.nextLong();
            assertThat(StoreLayout.windowName(start)).as("%d", start).isEqualTo(formatter.format(
                    java.time.Instant.ofEpochSecond(Math.floorDiv(start, 1_000_000_000L))));
        }
    }

    @Test
    void aWindowStartsAtTheMultipleOfItsWidthAtOrBeforeTheTimeBeforeTheEpochToo() {
        long hour = 3_600_000_000_000L;
        assertThat(StoreLayout.windowStart(0, hour)).isZero();
        assertThat(StoreLayout.windowStart(hour - 1, hour)).isZero();
        assertThat(StoreLayout.windowStart(hour, hour)).isEqualTo(hour);
        assertThat(StoreLayout.windowStart(-1, hour)).isEqualTo(-hour);
        assertThat(StoreLayout.windowStart(-hour, hour)).isEqualTo(-hour);
        Random random = new Random(13);
        for (int i = 0; i < 10_000; i++) {
            long width = 1 + (random.nextLong() & Long.MAX_VALUE) % (400L * 86_400_000_000_000L);
            long t = random.nextLong() / 4;
            long start = StoreLayout.windowStart(t, width);
            assertThat(start).as("%d in %d", t, width).isLessThanOrEqualTo(t);
            assertThat(t - start).as("%d in %d", t, width).isLessThan(width);
            assertThat(start % width).as("%d in %d", t, width).isZero();
        }
    }

    @Test
    void somethingElseIsNoWindowName() {
        for (String name : new String[] {"20241301T000000Z", "2024010aT000000Z", "20240101 000000Z",
                "20240101T000000X", "20240101T00000Z", "20240101T0000000Z"}) {
            assertThat(StoreLayout.parseWindowName(name)).as(name).isNegative();
        }
    }
}

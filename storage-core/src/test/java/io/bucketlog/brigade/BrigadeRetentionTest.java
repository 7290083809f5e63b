package io.bucketlog.brigade;

import static io.bucketlog.brigade.BrigadeFixture.MINUTE;
import static io.bucketlog.brigade.BrigadeFixture.STREAM;
import static io.bucketlog.brigade.BrigadeFixture.brigade;
import static io.bucketlog.brigade.BrigadeFixture.bucketFiles;
import static io.bucketlog.brigade.BrigadeFixture.minuteAgo;
import static io.bucketlog.brigade.BrigadeFixture.readAll;
import static io.bucketlog.brigade.BrigadeFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.internal.store.StoreLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 5 of the brigade: whole windows older than the retention are deleted, on every volume
 * ({@code prune} and retention on one volume are in the contract every backend runs,
 * {@code io.bucketlog.spi.BrigadeContractTest}).
 */
class BrigadeRetentionTest {
    private static final long DAY = 24 * 60 * MINUTE;
    private static final StreamConfig KEPT_A_DAY = StreamConfig.builder().bucketBytes(4096)
            .blockBytes(512).bucketWidth(Duration.ofMinutes(1)).indexWindow(Duration.ofHours(1))
            .retention(Duration.ofDays(1)).build();

    private static long hourStart(long ts) {
        return Math.floorDiv(ts, 60 * MINUTE) * 60 * MINUTE;
    }

    @TempDir
    Path a;
    @TempDir
    Path b;

    private final StepClock clock = new StepClock();

    @Test
    void windowsOlderThanTheStreamsRetentionAreDeletedWholeOnEveryDirectory() throws Exception {
        long old = hourStart(minuteAgo(0) - 3 * DAY);
        try (Store store = Store.open(a, b)) {
            store.createStream(STREAM, KEPT_A_DAY);
            for (int w = 0; w < 3; w++) {
                write(store, old, 3 * 60 * MINUTE, 40, "old" + w); // three hourly index windows
            }
            List<String> recent = write(store, minuteAgo(5), MINUTE, 40, "new");
            Path oldWindow = a.resolve(STREAM).resolve(StoreLayout.windowName(
                    Math.floorDiv(old, KEPT_A_DAY.indexWindowNanos()) * KEPT_A_DAY.indexWindowNanos()));
            assertThat(bucketFiles(b)).as("data on the second directory too").isNotEmpty();

            try (Brigade brigade = brigade(store, clock).build()) {
                BrigadeSummary s = brigade.runOnce();
                assertThat(s.windowsExpired()).isEqualTo(3);
                assertThat(s.bytesDeleted()).isPositive();
            }
            assertThat(readAll(store)).map(Event::bodyText).containsExactlyInAnyOrderElementsOf(recent);
            try (Stream<Path> left = Files.list(oldWindow)) {
                assertThat(left).as("index, data and everything else of the window").isEmpty();
            }
            assertThat(bucketFiles(b)).allSatisfy(p -> assertThat(p.toString()).doesNotContain(
                    oldWindow.getFileName().toString()));
        }
    }
}

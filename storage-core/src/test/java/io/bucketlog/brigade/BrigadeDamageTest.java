package io.bucketlog.brigade;

import static io.bucketlog.brigade.BrigadeFixture.CONFIG;
import static io.bucketlog.brigade.BrigadeFixture.MINUTE;
import static io.bucketlog.brigade.BrigadeFixture.STREAM;
import static io.bucketlog.brigade.BrigadeFixture.brigade;
import static io.bucketlog.brigade.BrigadeFixture.bucketFiles;
import static io.bucketlog.brigade.BrigadeFixture.byId;
import static io.bucketlog.brigade.BrigadeFixture.indexWindowOf;
import static io.bucketlog.brigade.BrigadeFixture.minuteAgo;
import static io.bucketlog.brigade.BrigadeFixture.readAll;
import static io.bucketlog.brigade.BrigadeFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.Event;
import io.bucketlog.EventScan;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.internal.store.StoreLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Point 4 of the brigade: damage is never made worse. */
class BrigadeDamageTest {
    @TempDir
    Path dir;

    private final StepClock clock = new StepClock();

    @Test
    void aDamagedInputsIntactRecordsAreMergedTheDamageReportedAndTheFileKeptAside()
            throws Exception {
        long minute = minuteAgo(5);
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, CONFIG);
            write(store, minute, MINUTE, 60, "a");
            write(store, minute, MINUTE, 60, "b");
            Path victim = bucketFiles(dir).get(0);
            byte[] bytes = Files.readAllBytes(victim);
            bytes[bytes.length / 3] ^= 0x5a; // inside a block: its CRC fails
            Files.write(victim, bytes);
            byte[] damaged = bytes.clone();
            List<Event> intact = new ArrayList<>();
            try (EventScan scan = store.scan(ScanRequest.all(STREAM))) {
                scan.forEachRemaining(intact::add);
                assertThat(scan.corruptions()).isNotEmpty();
            }
            assertThat(intact).hasSizeLessThan(120);

            try (Brigade b = brigade(store, clock).targetBytes(1 << 20).build()) {
                BrigadeSummary s = b.runOnce();
                assertThat(s.merges()).isEqualTo(1);
                assertThat(s.damagedInputs()).isEqualTo(1);
                assertThat(s.events()).isEqualTo(intact.size());
                assertThat(s.damage()).isNotEmpty().allSatisfy(c -> {
                    assertThat(c.location()).isEqualTo(victim.toString());
                    assertThat(c.offset()).isPositive();
                });
                Path aside = dir.resolve(STREAM).resolve("damaged")
                        .resolve(StoreLayout.windowName(indexWindowOf(minute)))
                        .resolve(victim.getFileName());
                assertThat(aside).hasBinaryContent(damaged);

                clock.advance(Duration.ofMinutes(10));
                assertThat(b.runOnce().inputsDeleted()).isEqualTo(2);
                assertThat(victim).doesNotExist();
                assertThat(aside).as("kept after the inputs are deleted").hasBinaryContent(damaged);
                assertThat(byId(readAll(store))).as("the intact records, and no damage left on the"
                        + " read path").isEqualTo(byId(intact));
            }
        }
    }

    @Test
    void aWindowThatCannotBeReadIsReportedAndTheOtherWindowsAreStillCompacted() throws Exception {
        long early = minuteAgo(70);
        long late = minuteAgo(5);
        try (Store store = Store.open(dir)) {
            store.createStream(STREAM, CONFIG);
            for (long minute : new long[] {early, late}) {
                write(store, minute, MINUTE, 30, "a" + minute);
                write(store, minute, MINUTE, 30, "b" + minute);
            }
            assertThat(indexWindowOf(early)).as("65 minutes apart: two hour windows").isNotEqualTo(indexWindowOf(late));
            List<Event> before = byId(readAll(store));
            Path window = dir.resolve(STREAM).resolve(StoreLayout.windowName(indexWindowOf(early)));
            Path link = window.resolve("index-zzzzzzzzzzzzz.idx");
            Files.createSymbolicLink(link, Path.of("/dev/zero"));
            try (Brigade b = brigade(store, clock).targetBytes(1 << 20).build()) {
                BrigadeSummary s = b.runOnce();
                assertThat(s.failures()).singleElement().satisfies(f -> assertThat(f)
                        .contains(StoreLayout.windowName(indexWindowOf(early)))
                        .contains("not compacted"));
                assertThat(s.merges()).as("the other window").isEqualTo(1);
            }
            Files.delete(link);
            assertThat(byId(readAll(store))).isEqualTo(before);
        }
    }
}

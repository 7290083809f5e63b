package io.bucketlog.brigade;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketlog.CorruptionReport;
import io.bucketlog.Event;
import io.bucketlog.EventId;
import io.bucketlog.EventScan;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.ScanRequest;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Shared by the brigade's tests: a small stream, writers of known events, reads, listings. */
final class BrigadeFixture {
    static final String STREAM = "s";
    static final long SECOND = 1_000_000_000L;
    static final long MINUTE = 60 * SECOND;
    /** Minute buckets in hour index windows, tiny buckets and blocks: many files from few events. */
    static final StreamConfig CONFIG = StreamConfig.builder().bucketBytes(4096).blockBytes(512)
            .bucketWidth(Duration.ofMinutes(1)).indexWindow(Duration.ofHours(1)).build();

    private BrigadeFixture() {
    }

    static WriterOptions options() {
        return WriterOptions.builder().closeOnJvmShutdown(false).ringFullPolicy(RingFullPolicy.BLOCK)
                .errorListener((m, c) -> {
                    throw new AssertionError("writer error: " + m, c);
                }).build();
    }

    /** The start of the minute {@code minutesAgo} before now. */
    static long minuteAgo(int minutesAgo) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return Math.floorDiv(now - minutesAgo * MINUTE, MINUTE) * MINUTE;
    }

    /**
     * Writes {@code count} events spread over {@code [from, from + spanNanos)} in one writer (then
     * closed: its buckets sealed); returns their bodies.
     */
    static List<String> write(Store store, long from, long spanNanos, int count, String tag) {
        List<String> bodies = new ArrayList<>();
        try (Writer w = store.writer(options())) {
            for (int i = 0; i < count; i++) {
                String body = tag + "-" + i + "-" + "x".repeat(i % 40);
                // spread over the span, out of order: slot i * 7919 mod count of count slots
                long ts = from + (long) i * 7919 % count * (spanNanos / count);
                w.append(STREAM, "k" + (i % 7), ts, Map.of("n", Integer.toString(i)),
                        body.getBytes(StandardCharsets.UTF_8));
                bodies.add(body);
            }
            assertThat(w.flush(Duration.ofSeconds(20))).isTrue();
        }
        return bodies;
    }

    /** Every event of the stream, checked to be undamaged and in order. */
    static List<Event> readAll(Store store) {
        List<Event> out = new ArrayList<>();
        try (EventScan scan = store.scan(ScanRequest.all(STREAM))) {
            scan.forEachRemaining(out::add);
            assertThat(scan.corruptions()).isEmpty();
        }
        return out;
    }

    static List<Event> byId(List<Event> events) {
        return events.stream().sorted(Comparator.comparing(Event::id)).toList();
    }

    static List<EventId> ids(List<Event> events) {
        return events.stream().map(Event::id).sorted().toList();
    }

    static List<Path> bucketFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".bkt") && !p.toString().contains("damaged"))
                    .sorted().toList();
        }
    }

    static List<Path> files(Path dir, String glob) throws IOException {
        var m = dir.getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> m.matches(p.getFileName())).sorted().toList();
        }
    }

    /** The adapter on a store, as the brigade builds it. */
    static EngineView view(Store store) {
        return EngineView.open(store);
    }

    /** The listing of one index window. */
    static WindowListing listing(Store store, long indexWindowStart) throws IOException {
        List<CorruptionReport> damage = new ArrayList<>();
        WindowListing w = view(store).list(STREAM, indexWindowStart, damage);
        assertThat(damage).isEmpty();
        return w;
    }

    static long indexWindowOf(long ts) {
        return Math.floorDiv(ts, CONFIG.indexWindowNanos()) * CONFIG.indexWindowNanos();
    }

    /** A brigade with a test clock: no lateness, no roll-up, ten minutes of grace. */
    static Brigade.Builder brigade(Store store, StepClock clock) {
        return Brigade.builder(store).clock(clock).lateness(Duration.ZERO).rollUpAfter(null)
                .grace(Duration.ofMinutes(10)).errors((m, c) -> {
                    throw new AssertionError(m, c);
                });
    }
}

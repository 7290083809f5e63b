package io.bucketlog.reader;

import io.bucketlog.Event;
import io.bucketlog.RingFullPolicy;
import io.bucketlog.Store;
import io.bucketlog.StreamConfig;
import io.bucketlog.Writer;
import io.bucketlog.WriterOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** Settings and helpers shared by the tests: tiny buckets and windows so every path is exercised. */
final class TestStore {
    static final long SECOND = 1_000_000_000L;
    /** Nanoseconds a reader's listing cache must see a stamp unchanged before it serves it. */
    static final long SETTLED = TimeUnit.MILLISECONDS.toNanos(ListingCache.SETTLE_MILLIS + 1);

    private TestStore() {
    }

    /** 1 s buckets in 4 s index windows, 4 KiB buckets of 512-byte blocks: rotation is frequent. */
    static StreamConfig smallConfig() {
        return StreamConfig.builder().bucketBytes(4096).blockBytes(512)
                .bucketWidth(Duration.ofSeconds(1)).indexWindow(Duration.ofSeconds(4)).build();
    }

    /**
     * 1-minute buckets of up to 1 MiB in 1-hour index windows, 512-byte blocks: a store whose
     * directories stay quiet between queries, the case the reader's listing caches are for.
     *
     * @param bucketWidth the buckets' width (a later configuration version may widen them)
     */
    static StreamConfig quietConfig(Duration bucketWidth) {
        return StreamConfig.builder().bucketBytes(1 << 20).blockBytes(512)
                .bucketWidth(bucketWidth).indexWindow(Duration.ofHours(1)).build();
    }

    /** A writer that never drops, keeps at most {@code maxOpen} buckets open, and no JVM hook. */
    static WriterOptions writerOptions(int maxOpen) {
        return WriterOptions.builder().ringSize(1024).ringFullPolicy(RingFullPolicy.BLOCK)
                .maxOpenBuckets(maxOpen).closeOnJvmShutdown(false).build();
    }

    static void flush(Writer w) {
        if (!w.flush(Duration.ofSeconds(30))) {
            throw new AssertionError("flush timed out");
        }
    }

    /**
     * {@code n} events of a new writer in stream {@code s}, in the minute that began
     * {@code minute} (keys k0 to k2, bodies {@code prefix + i}), flushed and sealed.
     */
    static List<String> writeSealed(Store store, long minute, String prefix, int n) {
        List<String> bodies = new ArrayList<>();
        try (Writer w = store.writer(WriterOptions.builder().closeOnJvmShutdown(false)
                .ringFullPolicy(RingFullPolicy.BLOCK).build())) {
            for (int i = 0; i < n; i++) {
                String body = prefix + i;
                w.append("s", "k" + i % 3, minute + i * 1_000_000L, Map.of(),
                        body.getBytes(StandardCharsets.UTF_8));
                bodies.add(body);
            }
            flush(w);
        }
        return bodies;
    }

    /** The start of the minute {@code minutes} ago, in nanoseconds. */
    static long minutesAgo(int minutes) {
        long minute = 60 * SECOND;
        return Math.floorDiv(nowNanos() - minutes * minute, minute) * minute;
    }

    static long nowNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bodies of every event of stream {@code s}, in the reader's order. */
    static List<String> bodies(BucketlogReader reader) {
        return reader.query("s").list().stream().map(Event::bodyText).toList();
    }

    /**
     * A query of stream {@code s} served from kept listings: the store's directories aged an
     * hour (a window nobody wrote to lately, the case the cache is for), then queries with the
     * reader's clock moved past the settle time, until one is served listings from memory.
     *
     * @param clock the reader's nano clock ({@code BucketlogReader.Builder.nanoClock})
     * @return that query's bodies
     */
    static List<String> servedQuery(Path dir, BucketlogReader reader, AtomicLong clock)
            throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path d : all.filter(Files::isDirectory).toList()) {
                Files.setLastModifiedTime(d,
                        FileTime.fromMillis(System.currentTimeMillis() - 3_600_000L));
            }
        }
        bodies(reader);
        clock.addAndGet(SETTLED);
        bodies(reader);
        long hits = reader.counters().listingHits.sum();
        List<String> served = bodies(reader);
        if (reader.counters().listingHits.sum() <= hits) {
            throw new AssertionError("no listing was served from memory");
        }
        return served;
    }
}

package io.bucketlog.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** What a child JVM reports back: {@code key=value} lines in the file its parent named. */
final class Results {
    private final Properties values = new Properties();

    Results put(String key, double value) {
        values.setProperty(key, Double.toString(value));
        return this;
    }

    Results put(String key, String value) {
        values.setProperty(key, value);
        return this;
    }

    /** Percentiles of a histogram of nanoseconds, in microseconds: {@code prefix.p50} etc. */
    Results latencies(String prefix, Histogram nanos) {
        put(prefix + ".p50", micros(nanos.getValueAtPercentile(50)));
        put(prefix + ".p99", micros(nanos.getValueAtPercentile(99)));
        put(prefix + ".p999", micros(nanos.getValueAtPercentile(99.9)));
        put(prefix + ".p9999", micros(nanos.getValueAtPercentile(99.99)));
        put(prefix + ".max", micros(nanos.getMaxValue()));
        put(prefix + ".count", nanos.getTotalCount());
        return this;
    }

    /** A histogram for latencies from 1 ns to 1 minute with 3 significant digits. */
    static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    void write(Path file) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            values.store(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + file, e);
        }
    }
}

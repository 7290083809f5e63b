package io.bucketlog.internal.store;

import io.bucketlog.StreamConfig;
import java.util.List;

/**
 * Every configuration a stream has had, oldest first. Writers create new buckets with the
 * {@linkplain #current() newest}; readers must also find buckets made under older ones, so they
 * bound a bucket's time range by the {@linkplain #widestBucketWidthNanos() widest} bucket width
 * the stream ever had (a bucket's own width is in its header). The index window never changes
 * between versions.
 *
 * @param versions at least one configuration, oldest first, all with the same index window
 * @param indexWindowProblem how {@code stream.conf} disagreed with the index window the stored
 *        index buckets were written with (which then replaced it in every version), or
 *        {@code null}: readers report it against {@code stream.conf}
 */
public record StreamHistory(List<StreamConfig> versions, String indexWindowProblem) {
    public StreamHistory {
        versions = List.copyOf(versions);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a stream has at least one configuration");
        }
        long window = versions.get(0).indexWindowNanos();
        if (versions.stream().anyMatch(c -> c.indexWindowNanos() != window)) {
            throw new IllegalArgumentException("the versions of a stream disagree on its index window");
        }
    }

    /** A history whose {@code stream.conf} agrees with its data. */
    public StreamHistory(List<StreamConfig> versions) {
        this(versions, null);
    }

    /** The configuration new buckets are created with. */
    public StreamConfig current() {
        return versions.get(versions.size() - 1);
    }

    /** The index window, the same in every version and in the stored index buckets. */
    public long indexWindowNanos() {
        return versions.get(0).indexWindowNanos();
    }

    /** The start of the index window that holds {@code nanos}. */
    public long indexWindowOf(long nanos) {
        return StoreLayout.windowStart(nanos, indexWindowNanos());
    }

    /** The widest bucket window of any version: no bucket of the stream covers more time. */
    public long widestBucketWidthNanos() {
        long widest = 0;
        for (StreamConfig c : versions) {
            widest = Math.max(widest, c.bucketWidthNanos());
        }
        return widest;
    }
}

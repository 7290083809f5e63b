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
 * @param versions at least one configuration, oldest first
 */
public record StreamHistory(List<StreamConfig> versions) {
    public StreamHistory {
        versions = List.copyOf(versions);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a stream has at least one configuration");
        }
    }

    /** The configuration new buckets are created with. */
    public StreamConfig current() {
        return versions.get(versions.size() - 1);
    }

    /** The index window, the same in every version. */
    public long indexWindowNanos() {
        return versions.get(0).indexWindowNanos();
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

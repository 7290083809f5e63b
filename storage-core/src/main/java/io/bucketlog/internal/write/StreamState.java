package io.bucketlog.internal.write;

import io.bucketlog.StreamConfig;
import io.bucketlog.internal.store.StoreLayout;
import java.util.HashMap;

/** What the bucket writer keeps per stream: its config and its open buckets by window start. */
final class StreamState {
    final String name;
    final StreamConfig config;
    final long bucketWidth;
    final long indexWidth;
    final HashMap<Long, OpenBucket> open = new HashMap<>();
    /** Late buckets, open or parked, by index window start. */
    final HashMap<Long, OpenBucket> late = new HashMap<>();
    /** The bucket the last event went to: most events go to the same one, so look there first. */
    OpenBucket last;

    StreamState(String name, StreamConfig config) {
        this.name = name;
        this.config = config;
        this.bucketWidth = config.bucketWidthNanos();
        this.indexWidth = config.indexWindowNanos();
    }

    long windowStart(long ts) {
        return StoreLayout.windowStart(ts, bucketWidth);
    }

    long indexWindowStart(long ts) {
        return StoreLayout.windowStart(ts, indexWidth);
    }
}

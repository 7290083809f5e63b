package io.bucketlog.bench;

import io.bucketlog.LogAttributes;
import io.bucketlog.internal.format.RecordSource;

/**
 * A log event as the block encoder reads it, shaped like what the appenders store: key = MDC user
 * id, attributes level, logger, thread and the user id, a formatted text body. Mutable and reused,
 * like a ring slot.
 */
final class SampleLogEvent implements RecordSource {
    private static final String[] NAMES = {LogAttributes.LEVEL, LogAttributes.LOGGER,
        LogAttributes.THREAD, LogAttributes.CONTEXT_PREFIX + "userId"};
    /** Users of the workload, who log in turn. */
    static final int USERS = 10_000;
    private final String[] values = {"INFO", "io.bucketlog.bench.Orders", "main", ""};
    private final StringBuilder body = new StringBuilder(64);
    private String key = "";
    private long ts;

    /** Makes this record the {@code i}-th event of the logging workload. */
    SampleLogEvent set(long i, long baseNanos) {
        return set(i, baseNanos, (int) (i % USERS));
    }

    /** The {@code i}-th event, but of user number {@code user} (0 to 9 999) instead of the next in turn. */
    SampleLogEvent set(long i, long baseNanos, int user) {
        key = "user-" + (100_000 + user * 7);
        values[3] = key;
        ts = baseNanos + i * 1_000;
        body.setLength(0);
        body.append("order ").append(i).append(" processed for user ").append(key)
                .append(" in ").append(i % 500).append(" ms");
        return this;
    }

    @Override
    public CharSequence key() {
        return key;
    }

    @Override
    public long timestampNanos() {
        return ts;
    }

    @Override
    public int attributeCount() {
        return NAMES.length;
    }

    @Override
    public String attributeName(int i) {
        return NAMES[i];
    }

    @Override
    public CharSequence attributeValue(int i) {
        return values[i];
    }

    @Override
    public CharSequence textBody() {
        return body;
    }

    @Override
    public byte[] bodyBytes() {
        return null;
    }

    @Override
    public int bodyLength() {
        return 0;
    }
}

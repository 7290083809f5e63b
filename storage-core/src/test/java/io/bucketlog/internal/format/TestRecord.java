package io.bucketlog.internal.format;

import java.nio.charset.StandardCharsets;

/** A plain {@link RecordSource} for format tests: key, timestamp, attributes, text body. */
record TestRecord(String key, long timestampNanos, String[] names, String[] values, String body)
        implements RecordSource {

    static TestRecord of(String key, long ts, String body, String... attributes) {
        String[] names = new String[attributes.length / 2];
        String[] values = new String[attributes.length / 2];
        for (int i = 0; i < names.length; i++) {
            names[i] = attributes[2 * i];
            values[i] = attributes[2 * i + 1];
        }
        return new TestRecord(key, ts, names, values, body);
    }

    @Override
    public int attributeCount() {
        return names.length;
    }

    @Override
    public String attributeName(int i) {
        return names[i];
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
        return body.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int bodyLength() {
        return bodyBytes().length;
    }
}

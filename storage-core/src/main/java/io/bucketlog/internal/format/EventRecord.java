package io.bucketlog.internal.format;

import io.bucketlog.Event;
import java.util.Map;

/**
 * A decoded {@link Event} as the block encoder reads it, to write it again (the brigade); one
 * instance is reused for every event.
 */
public final class EventRecord implements RecordSource {
    private Event event;
    private String[] names = new String[8];
    private String[] values = new String[8];
    private int attributes;

    /** Makes this the record of {@code e}; returns this. */
    public EventRecord of(Event e) {
        event = e;
        Map<String, String> attrs = e.attributes();
        if (attrs.size() > names.length) {
            names = new String[attrs.size()];
            values = new String[attrs.size()];
        }
        attributes = 0;
        for (Map.Entry<String, String> a : attrs.entrySet()) {
            names[attributes] = a.getKey();
            values[attributes++] = a.getValue();
        }
        return this;
    }

    @Override
    public CharSequence key() {
        return event.key();
    }

    @Override
    public long timestampNanos() {
        return event.timestampNanos();
    }

    @Override
    public int attributeCount() {
        return attributes;
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
        return null;
    }

    @Override
    public byte[] bodyBytes() {
        return event.body();
    }

    @Override
    public int bodyLength() {
        return event.body().length;
    }
}
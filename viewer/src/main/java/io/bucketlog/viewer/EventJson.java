package io.bucketlog.viewer;

import io.bucketlog.Event;
import io.bucketlog.reader.Cursor;
import io.bucketlog.reader.LogRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An event as the API sends it: every field, the log fields decoded, the attributes in name order
 * and the event's cursor. Values are sent as they are stored; the page escapes them when it shows
 * them (it only ever sets text, never markup).
 */
final class EventJson {
    private EventJson() {
    }

    static Map<String, Object> of(Event e) {
        LogRecord log = LogRecord.of(e);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.ofEpochSecond(Math.floorDiv(e.timestampNanos(), 1_000_000_000L),
                Math.floorMod(e.timestampNanos(), 1_000_000_000L)).toString());
        m.put("timestampNanos", e.timestampNanos());
        m.put("stream", e.stream());
        m.put("key", e.key());
        m.put("level", log.level());
        m.put("logger", log.logger());
        m.put("thread", log.thread());
        m.put("message", log.message());
        if (log.thrown() != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("className", log.thrown().className());
            t.put("message", log.thrown().message());
            t.put("stackTrace", log.thrown().stackTrace());
            m.put("thrown", t);
        }
        m.put("attributes", new TreeMap<>(e.attributes()));
        m.put("id", e.id().writerId() + ":" + e.id().sequence());
        m.put("cursor", Cursor.of(e).toString());
        return m;
    }
}

package io.bucketlog.logback;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketlog.EventSlot;
import io.bucketlog.config.AttributeNames;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.logstash.logback.argument.StructuredArgument;
import net.logstash.logback.marker.LogstashMarker;
import org.slf4j.Marker;

/**
 * logstash-logback-encoder's structured arguments ({@code kv(...)}, {@code keyValue},
 * {@code entries}...) and appending markers ({@code Markers.append}, {@code appendEntries}) as
 * {@code kv.} fields, named as SLF4J key-value pairs are. That library is optional: this class is
 * only loaded when {@link PendingEvent} found it on the class path.
 *
 * <p>Each argument or marker writes its fields as JSON ({@code writeTo}, its only public view of
 * its value); they are read back here, on the logging thread, so the stored text is the value at
 * the time of the call: a scalar as its text, an object or array as its JSON.
 */
final class LogstashFields {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogstashFields() {
    }

    /** Adds the fields of the event's structured arguments and markers to the slot. */
    static void add(Object[] arguments, List<Marker> markers, EventSlot slot) {
        if (arguments != null) {
            for (Object a : arguments) {
                if (a instanceof StructuredArgument s) {
                    add(s::writeTo, s, slot);
                }
            }
        }
        if (markers != null) {
            for (Marker m : markers) {
                addMarker(m, slot);
            }
        }
    }

    private static void addMarker(Marker m, EventSlot slot) {
        if (m instanceof LogstashMarker lm) {
            add(lm::writeTo, lm, slot);
        }
        // Markers joined with and(...) / with(...) are references of the first.
        for (Iterator<Marker> it = m.iterator(); it.hasNext(); ) {
            addMarker(it.next(), slot);
        }
    }

    /** What both kinds share: they write their fields into an open JSON object. */
    private interface FieldWriter {
        void writeTo(JsonGenerator json) throws IOException;
    }

    private static void add(FieldWriter a, Object printed, EventSlot slot) {
        JsonNode fields;
        try {
            StringWriter text = new StringWriter(64);
            try (JsonGenerator json = JSON.getFactory().createGenerator(text)) {
                json.writeStartObject();
                a.writeTo(json);
                json.writeEndObject();
            }
            fields = JSON.readTree(text.toString());
        } catch (IOException | RuntimeException e) {
            // A value Jackson cannot write: stored as the argument prints itself.
            slot.attribute(AttributeNames.KEY_VALUES.of("unwritable"), String.valueOf(printed));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            slot.attribute(AttributeNames.KEY_VALUES.of(f.getKey()), v.isValueNode() ? v.asText() : v.toString());
        }
    }
}

package io.bucketlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.bucketlog.Event;
import io.bucketlog.LogAttributes;
import io.bucketlog.reader.LogRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * How {@code query} and {@code tail} print events. Log events (written by the appenders) print as
 * log lines; other events as time, key, attributes and body.
 */
enum OutputFormat {
    /** Like a log file: {@code time LEVEL [thread] logger - message}, then the stack trace. */
    TEXT {
        @Override
        void print(Event e, PrintWriter out) {
            LogRecord r = LogRecord.of(e);
            StringBuilder b = new StringBuilder(160).append(instant(e.timestampNanos()));
            if (r.level() != null) {
                b.append(' ').append(String.format("%-5s", r.level()));
                if (r.thread() != null) {
                    b.append(" [").append(r.thread()).append(']');
                }
                if (r.logger() != null) {
                    b.append(' ').append(r.logger());
                }
                if (!e.key().isEmpty()) {
                    b.append(" {").append(e.key()).append('}');
                }
                b.append(" - ").append(r.message());
                out.println(b);
                if (r.thrown() != null && r.thrown().stackTrace() != null) {
                    out.print(r.thrown().stackTrace());
                }
                return;
            }
            b.append(' ').append(e.key().isEmpty() ? "-" : e.key());
            for (Map.Entry<String, String> a : e.attributes().entrySet()) {
                b.append(' ').append(a.getKey()).append('=').append(a.getValue());
            }
            out.println(b.append(' ').append(e.bodyText()));
        }
    },
    /** One JSON object per line. */
    JSON {
        private final JsonFactory factory = new JsonFactory();

        @Override
        void print(Event e, PrintWriter out) {
            StringWriter line = new StringWriter(256);
            try (JsonGenerator json = factory.createGenerator(line)) {
                json.writeStartObject();
                json.writeStringField("time", instant(e.timestampNanos()));
                json.writeStringField("stream", e.stream());
                json.writeStringField("key", e.key());
                LogRecord r = LogRecord.of(e);
                if (r.level() != null) {
                    json.writeStringField("level", r.level());
                    json.writeStringField("logger", r.logger());
                    json.writeStringField("thread", r.thread());
                    json.writeStringField("message", r.message());
                    if (r.marker() != null) {
                        json.writeStringField("marker", r.marker());
                    }
                    if (r.thrown() != null) {
                        json.writeStringField("thrown", r.thrown().stackTrace());
                    }
                    json.writeObjectFieldStart("context");
                    for (Map.Entry<String, String> c : r.context().entrySet()) {
                        json.writeStringField(c.getKey(), c.getValue());
                    }
                    json.writeEndObject();
                } else {
                    json.writeObjectFieldStart("attributes");
                    for (Map.Entry<String, String> a : e.attributes().entrySet()) {
                        json.writeStringField(a.getKey(), a.getValue());
                    }
                    json.writeEndObject();
                    json.writeStringField("body", e.bodyText());
                }
                json.writeStringField("id", e.id().writerId() + ":" + e.id().sequence());
                json.writeEndObject();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            out.println(line);
        }
    },
    /** {@code key=value} pairs, quoted where needed, as logfmt tools read them. */
    LOGFMT {
        @Override
        void print(Event e, PrintWriter out) {
            StringBuilder b = new StringBuilder(200);
            pair(b, "time", instant(e.timestampNanos()));
            if (!e.key().isEmpty()) {
                pair(b, "key", e.key());
            }
            for (Map.Entry<String, String> a : e.attributes().entrySet()) {
                pair(b, a.getKey(), a.getValue());
            }
            pair(b, e.attribute(LogAttributes.LEVEL) != null ? "msg" : "body", e.bodyText());
            out.println(b);
        }

        private void pair(StringBuilder b, String k, String v) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(k).append('=');
            boolean quote = v.isEmpty();
            for (int i = 0; i < v.length() && !quote; i++) {
                char c = v.charAt(i);
                quote = c <= ' ' || c == '"' || c == '=' || c == '\\';
            }
            if (!quote) {
                b.append(v);
                return;
            }
            b.append('"');
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> b.append(c);
                }
            }
            b.append('"');
        }
    };

    abstract void print(Event e, PrintWriter out);

    static String instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L)).toString();
    }
}

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
import java.util.Map;

/**
 * How {@code query} and {@code tail} print events. Log events (written by the appenders) print as
 * log lines; other events as time, key, attributes and body. Text, raw and logfmt escape control
 * characters ({@link SafeText}); JSON escapes them as JSON does.
 */
enum OutputFormat {
    /** Like a log file: {@code time LEVEL [thread] logger - message}, then the stack trace. */
    TEXT {
        @Override
        void print(Event e, OutputStyle style, PrintWriter out) {
            LogRecord r = LogRecord.of(e);
            StringBuilder b = new StringBuilder(160).append(style.time(e.timestampNanos()));
            if (r.level() != null) {
                b.append(' ').append(style.level(r.level()));
                if (r.thread() != null) {
                    b.append(" [").append(SafeText.escape(r.thread(), false)).append(']');
                }
                if (r.logger() != null) {
                    b.append(' ').append(SafeText.escape(r.logger(), false));
                }
                if (!e.key().isEmpty()) {
                    b.append(" {").append(SafeText.escape(e.key(), false)).append('}');
                }
                b.append(" - ").append(SafeText.escape(r.message(), true));
                appendFields(b, r.fields());
                out.println(b);
                if (r.thrown() != null && r.thrown().stackTrace() != null) {
                    out.print(SafeText.escape(r.thrown().stackTrace(), true));
                }
                return;
            }
            b.append(' ').append(e.key().isEmpty() ? "-" : SafeText.escape(e.key(), false));
            for (Map.Entry<String, String> a : e.attributes().entrySet()) {
                b.append(' ').append(SafeText.escape(a.getKey(), false)).append('=')
                        .append(SafeText.escape(a.getValue(), false));
            }
            out.println(b.append(' ').append(SafeText.escape(e.bodyText(), true)));
        }

        /** Structured fields after the message, as {@code  name=value}. */
        private void appendFields(StringBuilder b, Map<String, String> fields) {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                b.append(' ').append(SafeText.escape(f.getKey(), false)).append('=')
                        .append(SafeText.escape(f.getValue(), false));
            }
        }
    },
    /** The message alone (the body of an event that is not a log event), one per line. */
    RAW {
        @Override
        void print(Event e, OutputStyle style, PrintWriter out) {
            LogRecord r = LogRecord.of(e);
            out.println(SafeText.escape(r.level() != null ? r.message() : e.bodyText(), true));
        }
    },
    /** One JSON object per line; times in UTC with nine fraction digits. */
    JSON {
        private final JsonFactory factory = new JsonFactory();

        @Override
        void print(Event e, OutputStyle style, PrintWriter out) {
            StringWriter line = new StringWriter(256);
            try (JsonGenerator json = factory.createGenerator(line)) {
                json.writeStartObject();
                json.writeStringField("time", OutputStyle.utc(e.timestampNanos()));
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
                    writeThrown(json, r.thrown());
                    writeMap(json, "context", r.context());
                    writeMap(json, "fields", r.fields());
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

        /** The class and message as fields of their own, for {@code jq}, and the printed trace. */
        private void writeThrown(JsonGenerator json, LogRecord.Thrown thrown) throws IOException {
            if (thrown == null) {
                return;
            }
            if (thrown.className() != null) {
                json.writeStringField(LogAttributes.THROWN_CLASS, thrown.className());
            }
            if (thrown.message() != null) {
                json.writeStringField(LogAttributes.THROWN_MESSAGE, thrown.message());
            }
            json.writeStringField("thrown", thrown.stackTrace());
        }

        private void writeMap(JsonGenerator json, String name, Map<String, String> map) throws IOException {
            json.writeObjectFieldStart(name);
            for (Map.Entry<String, String> c : map.entrySet()) {
                json.writeStringField(c.getKey(), c.getValue());
            }
            json.writeEndObject();
        }
    },
    /** {@code key=value} pairs, quoted where needed, as logfmt tools read them; times in UTC. */
    LOGFMT {
        @Override
        void print(Event e, OutputStyle style, PrintWriter out) {
            StringBuilder b = new StringBuilder(200);
            pair(b, "time", OutputStyle.utc(e.timestampNanos()));
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
            quoted(b, k);
            b.append('=');
            quoted(b, v);
        }

        /** As is, or in quotes with {@code \"}, {@code \\} and control characters escaped. */
        private void quoted(StringBuilder b, String v) {
            boolean quote = v.isEmpty();
            for (int i = 0; i < v.length() && !quote; i++) {
                char c = v.charAt(i);
                quote = c == ' ' || c == '"' || c == '=' || c == '\\' || SafeText.isControl(c);
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
                    default -> b.append(SafeText.isControl(c) ? SafeText.escape(String.valueOf(c), false) : c);
                }
            }
            b.append('"');
        }
    };

    abstract void print(Event e, OutputStyle style, PrintWriter out);
}

package io.bucketlog.reader;

import io.bucketlog.Event;
import io.bucketlog.LogAttributes;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A log event written by the Log4j2 or Logback appender, decoded from the attribute names in
 * {@link LogAttributes} so that log tools need not know them.
 *
 * <pre>{@code
 * try (QueryResult r = reader.query("app-logs").minLevel("WARN").iterator()) {
 *     r.forEachRemaining(e -> {
 *         LogRecord log = LogRecord.of(e);
 *         System.out.println(log.timestamp() + " " + log.level() + " " + log.logger() + " " + log.message());
 *     });
 * }
 * }</pre>
 *
 * @param timestampNanos event time, nanoseconds since the epoch
 * @param level level name ({@code INFO}...), or {@code null} if the event has none
 * @param logger logger name, or {@code null}
 * @param thread thread name, or {@code null}
 * @param message the formatted message (the event body as UTF-8)
 * @param thrown the logged throwable, or {@code null}
 * @param context the context map (MDC / ThreadContext), unmodifiable, sorted by name
 * @param fields the event's structured fields, unmodifiable, sorted by name: SLF4J key-value pairs,
 *     Log4j2 {@code MapMessage} entries, logstash-logback-encoder's structured arguments and
 *     {@code Markers.append} values (stored as {@link LogAttributes#KEY_VALUE_PREFIX} + name)
 * @param marker the marker as the appender wrote it ({@code name[parent,...]}), or {@code null}
 * @param event the underlying event (key, id, every attribute)
 */
public record LogRecord(long timestampNanos, String level, String logger, String thread,
                        String message, Thrown thrown, Map<String, String> context,
                        Map<String, String> fields, String marker, Event event) {

    /**
     * A logged throwable as stored: its class and message, and the full printed stack trace with
     * causes and suppressed exceptions.
     *
     * @param className class of the throwable, or {@code null} if not recorded
     * @param message its message, or {@code null}
     * @param stackTrace the printed stack trace, or {@code null} if not recorded
     */
    public record Thrown(String className, String message, String stackTrace) {
    }

    /** Decodes a log event. Events without log attributes give a record of {@code null}s. */
    public static LogRecord of(Event event) {
        Map<String, String> a = event.attributes();
        TreeMap<String, String> context = new TreeMap<>();
        TreeMap<String, String> fields = new TreeMap<>();
        for (Map.Entry<String, String> e : a.entrySet()) {
            if (e.getKey().startsWith(LogAttributes.CONTEXT_PREFIX)) {
                context.put(e.getKey().substring(LogAttributes.CONTEXT_PREFIX.length()), e.getValue());
            } else if (e.getKey().startsWith(LogAttributes.KEY_VALUE_PREFIX)) {
                fields.put(e.getKey().substring(LogAttributes.KEY_VALUE_PREFIX.length()), e.getValue());
            }
        }
        String thrownClass = a.get(LogAttributes.THROWN_CLASS);
        String thrownMessage = a.get(LogAttributes.THROWN_MESSAGE);
        String stack = a.get(LogAttributes.THROWN);
        Thrown thrown = thrownClass == null && thrownMessage == null && stack == null ? null
                : new Thrown(thrownClass, thrownMessage, stack);
        return new LogRecord(event.timestampNanos(), a.get(LogAttributes.LEVEL),
                a.get(LogAttributes.LOGGER), a.get(LogAttributes.THREAD), event.bodyText(), thrown,
                Collections.unmodifiableMap(context), Collections.unmodifiableMap(fields),
                a.get(LogAttributes.MARKER), event);
    }

    /** The event time as an {@link Instant}. */
    public Instant timestamp() {
        return Instant.ofEpochSecond(Math.floorDiv(timestampNanos, 1_000_000_000L),
                Math.floorMod(timestampNanos, 1_000_000_000L));
    }

    /** The level's priority on {@link LogAttributes#priorityOf}'s scale (INFO 300, WARN 400...). */
    public int priority() {
        return LogAttributes.priorityOf(level);
    }
}

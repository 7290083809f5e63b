package io.bucketlog.log4j2;

import io.bucketlog.EventFiller;
import io.bucketlog.EventSlot;
import io.bucketlog.LogAttributes;
import io.bucketlog.config.AttributeNames;
import io.bucketlog.config.KeyTemplate;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.time.Instant;
import org.apache.logging.log4j.core.util.Constants;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.ParameterConsumer;
import org.apache.logging.log4j.message.ParameterVisitable;
import org.apache.logging.log4j.util.StringBuilderFormattable;
import org.apache.logging.log4j.util.StringBuilders;
import org.apache.logging.log4j.util.TriConsumer;

/**
 * Maps a Log4j2 {@link LogEvent} onto a ring slot, on the thread that calls the appender.
 *
 * <p>Everything is copied before {@code append} returns: the message is formatted here (so a
 * mutable parameter changed after the logging call cannot change what is stored, and a reusable
 * message of Log4j2's garbage-free mode may be reused at once). The message and the stack trace
 * are formatted by {@link #source} <em>before</em> a slot is claimed, into the thread's own
 * buffer as Log4j2's garbage-free layouts do: a parameter's slow {@code toString()} must not hold
 * a claimed slot, which the bucket writer would wait for while every other thread's events queue
 * behind it. The filler then only copies text into the slot. With a
 * {@link StringBuilderFormattable} message (all of Log4j2's parameterised and reusable messages),
 * an event without a throwable or marker parents, and context names seen before, the mapping
 * allocates nothing: the filler is a stateless constant and its argument a per-thread
 * {@link Source}.
 */
final class LogEventFiller {

    /** The stateless filler passed to {@link io.bucketlog.Writer#append(String, int, EventFiller, Object)}. */
    static final EventFiller<Source> FILLER = LogEventFiller::fill;

    private static final TriConsumer<String, Object, Source> CONTEXT_ENTRY = (name, value, src) -> {
        CharSequence v = value instanceof CharSequence cs ? cs : String.valueOf(value);
        src.slot.attribute(AttributeNames.CONTEXT.of(name), v);
    };

    private static final TriConsumer<String, Object, Source> MAP_FIELD = (name, value, src) -> {
        CharSequence v = value instanceof CharSequence cs ? cs : String.valueOf(value);
        src.slot.attribute(AttributeNames.KEY_VALUES.of(name), v);
    };

    private static final ThreadLocal<Source> SOURCES = ThreadLocal.withInitial(Source::new);

    /**
     * Text parameters longer than this together make a message "large": it is formatted to a
     * String of its own rather than into the thread's buffer, which would otherwise grow to it.
     */
    static final int LARGE_PARAMETERS = 64 * 1024;

    /** The thread's message buffer is trimmed back to this after a larger message. */
    static final int MAX_KEPT_BUFFER = 16 * 1024;

    private static final ParameterConsumer<Source> PARAMETER_LENGTH = (parameter, index, src) -> {
        if (parameter instanceof CharSequence cs) {
            src.parameterChars += cs.length();
        }
    };

    private LogEventFiller() {
    }

    /**
     * The event and key template of one append, plus scratch space; also the key template's view
     * of the event. Used by one thread at a time, never kept after the append returns.
     */
    static final class Source implements KeyTemplate.Fields {
        private final StringBuilder scratch = new StringBuilder(64);
        private final StringBuilder message = new StringBuilder(256);
        private KeyTemplate key;
        private LogEvent event;
        private EventSlot slot;
        private long parameterChars;
        /** The formatted message: {@link #message}, or a String of its own. */
        private CharSequence body;
        private String thrownMessage;
        private String stackTrace;
        /** What formatting threw: rethrown by the filler, so that the writer counts the event. */
        private RuntimeException formatFailure;

        @Override
        public CharSequence logger() {
            return event.getLoggerName();
        }

        @Override
        public CharSequence thread() {
            return event.getThreadName();
        }

        @Override
        public CharSequence level() {
            return event.getLevel().name();
        }

        @Override
        public CharSequence context(String name) {
            Object v = event.getContextData().getValue(name);
            return v == null ? null : v instanceof CharSequence cs ? cs : String.valueOf(v);
        }

        /** Forgets the event so that a logged object is not kept reachable by this thread. */
        void clear() {
            event = null;
            slot = null;
            key = null;
            body = null;
            thrownMessage = null;
            stackTrace = null;
            formatFailure = null;
            StringBuilders.trimToMaxSize(message, MAX_KEPT_BUFFER);
        }
    }

    /**
     * A source for one append on this thread. A fresh one when thread-locals are disabled (web
     * applications, where Log4j2 avoids them too) or when this thread is already inside an append
     * (a parameter's {@code toString} that logs to another Bucketlog appender). The message and
     * stack trace are formatted here, before any slot is claimed.
     */
    static Source source(KeyTemplate key, LogEvent event) {
        Source s;
        if (Constants.ENABLE_THREADLOCALS) {
            s = SOURCES.get();
            if (s.event != null) {
                s = new Source();
            }
        } else {
            s = new Source();
        }
        s.key = key;
        s.event = event;
        try {
            format(s, event);
        } catch (RuntimeException e) {
            s.formatFailure = e;
        }
        return s;
    }

    private static void format(Source src, LogEvent e) {
        Throwable thrown = e.getThrown();
        if (thrown != null) {
            src.thrownMessage = thrown.getMessage();
            src.stackTrace = stackTrace(thrown);
        }
        Message m = e.getMessage();
        if (m instanceof CharSequence text) {
            src.body = text; // SimpleMessage and its reusable form: already text
        } else if (m instanceof StringBuilderFormattable f && !large(m, src)) {
            src.message.setLength(0);
            f.formatTo(src.message);
            src.body = src.message;
        } else if (m != null) {
            src.body = m.getFormattedMessage();
        } else {
            src.body = "";
        }
    }

    private static void fill(Source src, EventSlot slot) {
        if (src.formatFailure != null) {
            throw src.formatFailure;
        }
        LogEvent e = src.event;
        src.slot = slot;
        Instant t = e.getInstant();
        slot.timestampNanos(t.getEpochSecond() * 1_000_000_000L + t.getNanoOfSecond());
        src.key.renderTo(src, slot);
        slot.attribute(LogAttributes.LEVEL, e.getLevel().name());
        slot.attribute(LogAttributes.LOGGER, e.getLoggerName());
        slot.attribute(LogAttributes.THREAD, e.getThreadName());
        Marker marker = e.getMarker();
        if (marker != null) {
            StringBuilder sb = src.scratch;
            sb.setLength(0);
            appendMarker(marker, sb);
            slot.attribute(LogAttributes.MARKER, sb);
        }
        Throwable thrown = e.getThrown();
        if (thrown != null) {
            slot.attribute(LogAttributes.THROWN_CLASS, thrown.getClass().getName());
            if (src.thrownMessage != null) {
                slot.attribute(LogAttributes.THROWN_MESSAGE, src.thrownMessage);
            }
            slot.attribute(LogAttributes.THROWN, src.stackTrace);
        }
        e.getContextData().forEach(CONTEXT_ENTRY, src);
        addMapFields(e.getMessage(), src);
        slot.bodyText(src.body); // copies no more than the size limit
    }

    /**
     * The fields of a {@link MapMessage} (a {@code StringMapMessage} included) as key-value
     * attributes, named as the Logback appender names SLF4J key-value pairs ({@code kv.} + key).
     * Walks the message's own map without allocating; the body stays the formatted message.
     */
    private static void addMapFields(Message m, Source src) {
        if (m instanceof MapMessage<?, ?> map) {
            map.forEach(MAP_FIELD, src);
        }
    }

    /**
     * Whether the message's text parameters are longer than {@link #LARGE_PARAMETERS}; allocates
     * nothing.
     */
    private static boolean large(Message m, Source src) {
        if (!(m instanceof ParameterVisitable visitable)) {
            return false;
        }
        src.parameterChars = 0;
        visitable.forEachParameter(PARAMETER_LENGTH, src);
        return src.parameterChars > LARGE_PARAMETERS;
    }

    /** {@code name[parent1,parent2[grandparent]]}: the marker with its whole ancestry. */
    private static void appendMarker(Marker marker, StringBuilder out) {
        out.append(marker.getName());
        if (marker.hasParents()) {
            out.append('[');
            Marker[] parents = marker.getParents();
            for (int i = 0; i < parents.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendMarker(parents[i], out);
            }
            out.append(']');
        }
    }

    /** The stack trace exactly as {@link Throwable#printStackTrace()} prints it, causes included. */
    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter(1024);
        try (PrintWriter pw = new PrintWriter(out)) {
            t.printStackTrace(pw);
        }
        return out.toString();
    }
}

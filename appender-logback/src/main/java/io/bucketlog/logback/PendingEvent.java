package io.bucketlog.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import io.bucketlog.EventFiller;
import io.bucketlog.EventSlot;
import io.bucketlog.LogAttributes;
import io.bucketlog.config.AttributeNames;
import io.bucketlog.config.KeyTemplate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * One log event on its way into a ring slot, and the mapping of a Logback event to a Bucketlog
 * event ({@link #FILLER}).
 *
 * <p>Each logging thread reuses its own instance (the appender keeps one per thread), so handing an
 * event to the writer allocates nothing beyond what Logback already made. The slot is filled on the
 * calling thread, inside {@code Writer.append}: everything the event refers to (message
 * arguments, MDC, markers) is copied into the slot before the logging call returns, so later
 * changes to those objects never reach the stored event.
 */
final class PendingEvent implements KeyTemplate.Fields {

    /** Fills a slot from {@link #event}; static and stateless, as the writer API asks. */
    static final EventFiller<PendingEvent> FILLER = PendingEvent::fill;

    /** Whether logstash-logback-encoder is on the class path: then {@link LogstashFields} reads it. */
    private static final boolean LOGSTASH = present("net.logstash.logback.argument.StructuredArgument");

    private final StringBuilder scratch = new StringBuilder(64);
    private ILoggingEvent event;
    private KeyTemplate key;

    /** Holds {@code e} for one {@code append}; {@link #clear} must follow. */
    PendingEvent set(ILoggingEvent e, KeyTemplate keyTemplate) {
        this.event = e;
        this.key = keyTemplate;
        return this;
    }

    /** Drops the reference, so that an idle thread does not keep its last event alive. */
    void clear() {
        this.event = null;
        this.key = null;
        if (scratch.capacity() > 16 * 1024) {
            scratch.setLength(0);
            scratch.trimToSize();
        }
    }

    private static void fill(PendingEvent p, EventSlot slot) {
        ILoggingEvent e = p.event;
        p.key.renderTo(p, slot);
        slot.timestampNanos(epochNanos(e.getInstant()));
        slot.attribute(LogAttributes.LEVEL, e.getLevel().levelStr);
        slot.attribute(LogAttributes.LOGGER, e.getLoggerName());
        slot.attribute(LogAttributes.THREAD, e.getThreadName());

        Map<String, String> mdc = e.getMDCPropertyMap();
        if (mdc != null && !mdc.isEmpty()) {
            for (Map.Entry<String, String> c : mdc.entrySet()) {
                slot.attribute(AttributeNames.CONTEXT.of(c.getKey()), c.getValue());
            }
        }
        List<KeyValuePair> pairs = e.getKeyValuePairs();
        if (pairs != null) {
            for (int i = 0; i < pairs.size(); i++) {
                KeyValuePair kv = pairs.get(i);
                // String.valueOf snapshots the value now, on the calling thread.
                slot.attribute(AttributeNames.KEY_VALUES.of(kv.key), String.valueOf(kv.value));
            }
        }
        List<Marker> markers = e.getMarkerList();
        if (LOGSTASH) {
            LogstashFields.add(e.getArgumentArray(), markers, slot);
        }
        if (markers != null && !markers.isEmpty()) {
            StringBuilder text = p.scratch;
            text.setLength(0);
            MarkerText.append(markers, text);
            slot.attribute(LogAttributes.MARKER, text);
        }
        IThrowableProxy thrown = e.getThrowableProxy();
        if (thrown != null) {
            slot.attribute(LogAttributes.THROWN_CLASS, thrown.getClassName());
            if (thrown.getMessage() != null) {
                slot.attribute(LogAttributes.THROWN_MESSAGE, thrown.getMessage());
            }
            // As Logback prints it: "Caused by:", "Suppressed:" and "... n common frames omitted".
            slot.attribute(LogAttributes.THROWN, ThrowableProxyUtil.asString(thrown));
        }
        String message = e.getFormattedMessage();
        slot.bodyText(message == null ? "" : message); // copies no more than the size limit
    }

    /** Whether an optional library's class can be loaded (it is not initialised). */
    private static boolean present(String className) {
        try {
            Class.forName(className, false, PendingEvent.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /** Logback keeps the clock's full precision (microseconds or better on Java 17) here. */
    static long epochNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

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
        return event.getLevel().levelStr;
    }

    @Override
    public CharSequence context(String name) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        return mdc == null ? null : mdc.get(name);
    }
}

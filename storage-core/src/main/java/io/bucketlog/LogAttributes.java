package io.bucketlog;

import java.util.List;
import java.util.Locale;

/**
 * The attribute names under which the log appenders store a log event, so that every reader (the
 * reader SDK's {@code LogRecord}, the CLI) decodes them the same way. The formatted message is the
 * event body (UTF-8); the key is configurable (logger name by default).
 */
public final class LogAttributes {
    /** Level name, e.g. {@code INFO}. */
    public static final String LEVEL = "level";
    /** Logger name. */
    public static final String LOGGER = "logger";
    /** Name of the thread that logged. */
    public static final String THREAD = "thread";
    /** Marker name, with parents as {@code name[parent1,parent2]} where the framework has them. */
    public static final String MARKER = "marker";
    /** Class name of the throwable. */
    public static final String THROWN_CLASS = "thrown.class";
    /** Message of the throwable. */
    public static final String THROWN_MESSAGE = "thrown.message";
    /** Full stack trace of the throwable with its causes and suppressed exceptions, as printed. */
    public static final String THROWN = "thrown";
    /** Prefix of context map (MDC) entries: {@code ctx.userId}. */
    public static final String CONTEXT_PREFIX = "ctx.";
    /** Prefix of SLF4J key-value pairs ({@code logger.atInfo().addKeyValue(...)}): {@code kv.orderId}. */
    public static final String KEY_VALUE_PREFIX = "kv.";
    /**
     * Set on an event the writer cut to fit its limits (body, attribute values or attributes
     * beyond {@code maxAttributes}): the size the event had before, in characters of its
     * attribute values and text body, or bytes of a binary body (a key too long is cut with a
     * marker instead).
     */
    public static final String TRUNCATED = "truncated";

    private LogAttributes() {
    }

    /**
     * The level names, least severe first. Every place that takes a level name (the appenders'
     * {@code dropBelowLevel}, the query and CLI filters, {@link #priorityOf}) accepts exactly
     * these, in any case, and {@code WARNING} (java.util.logging's spelling) as WARN.
     */
    public static final List<String> LEVEL_NAMES = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");

    /** The level names for a message: {@code "TRACE, DEBUG, INFO, WARN, ERROR or FATAL"}. */
    public static final String LEVEL_CHOICES = String.join(", ", LEVEL_NAMES.subList(0, 5)) + " or "
            + LEVEL_NAMES.get(5);

    /** Whether {@code name} is one of {@link #LEVEL_NAMES} (in any case) or {@code WARNING}. */
    public static boolean isLevel(String name) {
        return rank(name) >= 0;
    }

    /**
     * A level's priority for {@link RingFullPolicy#DROP_BELOW}: TRACE 100, DEBUG 200, INFO 300, WARN
     * 400, ERROR 500, FATAL 600; unknown names 300. Both appenders use this scale.
     */
    public static int priorityOf(String level) {
        int rank = rank(level);
        return rank < 0 ? 300 : (rank + 1) * 100;
    }

    /** The index of a level name in {@link #LEVEL_NAMES}, or -1. */
    private static int rank(String level) {
        if (level == null) {
            return -1;
        }
        int exact = LEVEL_NAMES.indexOf(level); // the frameworks' own constants: no case folding
        if (exact >= 0) {
            return exact;
        }
        String upper = level.toUpperCase(Locale.ROOT);
        return LEVEL_NAMES.indexOf(upper.equals("WARNING") ? "WARN" : upper);
    }
}

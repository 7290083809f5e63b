package io.bucketlog.reader;

import io.bucketlog.Event;
import io.bucketlog.LogAttributes;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The event filters of {@link Query}, as plain predicates for code that filters events it got
 * another way (a tail, a stream of its own).
 */
public final class EventFilters {
    private EventFilters() {
    }

    /** Events whose attribute {@code name} equals {@code value}. */
    public static Predicate<Event> attributeEquals(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        return e -> value.equals(e.attribute(name));
    }

    /** Events whose attribute {@code name} starts with {@code prefix}. */
    public static Predicate<Event> attributePrefix(String name, String prefix) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
        return e -> {
            String v = e.attribute(name);
            return v != null && v.startsWith(prefix);
        };
    }

    /**
     * Log events at this level or above ({@code WARN} keeps WARN, ERROR and FATAL), on
     * {@link LogAttributes#priorityOf}'s scale. Events without a level count as INFO, as the
     * appenders' drop policy treats them.
     *
     * @throws IllegalArgumentException for a name that is not one of {@link LogAttributes#LEVEL_NAMES}
     */
    public static Predicate<Event> minLevel(String level) {
        Objects.requireNonNull(level, "level");
        if (!LogAttributes.isLevel(level)) {
            throw new IllegalArgumentException("unknown level '" + level + "': expected "
                    + LogAttributes.LEVEL_CHOICES);
        }
        int min = LogAttributes.priorityOf(level);
        return e -> LogAttributes.priorityOf(e.attribute(LogAttributes.LEVEL)) >= min;
    }

    /** Events whose body, read as UTF-8, contains {@code text}. */
    public static Predicate<Event> bodyContains(String text) {
        Objects.requireNonNull(text, "text");
        return e -> e.bodyText().contains(text);
    }
}

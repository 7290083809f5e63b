package io.bucketlog.logback;

import io.bucketlog.LogAttributes;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attribute names of MDC entries ({@code ctx.} + the MDC key) and of key-value pairs, kept so
 * that logging the same MDC keys again and again does not build the same strings again and again.
 * Bounded: an application that puts unbounded key names in its MDC gets fresh strings beyond
 * {@link #MAX_CACHED} instead of a memory leak.
 */
final class ContextNames {
    static final int MAX_CACHED = 1024;

    private final String prefix;
    private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();

    private ContextNames(String prefix) {
        this.prefix = prefix;
    }

    /** Names of MDC entries. */
    static final ContextNames MDC = new ContextNames(LogAttributes.CONTEXT_PREFIX);
    /** Names of SLF4J key-value pairs ({@code logger.atInfo().addKeyValue(...)}). */
    static final ContextNames KEY_VALUES = new ContextNames(BucketlogAppender.KEY_VALUE_PREFIX);

    String of(String key) {
        String name = names.get(key);
        if (name != null) {
            return name;
        }
        name = prefix + key;
        if (names.size() < MAX_CACHED) {
            names.putIfAbsent(key, name);
        }
        return name;
    }
}

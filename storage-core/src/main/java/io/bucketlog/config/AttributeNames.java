package io.bucketlog.config;

import io.bucketlog.LogAttributes;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Attribute names built from a prefix and a name the application chose (an MDC key, a key-value
 * pair's key), cached so that logging the same keys again and again does not build the same
 * strings again and again. Bounded: an application that puts unbounded key names in its context
 * gets fresh strings beyond {@link #MAX_CACHED} instead of a memory leak. Thread-safe.
 */
public final class AttributeNames {
    static final int MAX_CACHED = 4096;

    /** Names of context map (MDC, ThreadContext) entries: {@code ctx.} + key. */
    public static final AttributeNames CONTEXT = new AttributeNames(LogAttributes.CONTEXT_PREFIX);
    /** Names of SLF4J key-value pairs: {@code kv.} + key. */
    public static final AttributeNames KEY_VALUES = new AttributeNames(LogAttributes.KEY_VALUE_PREFIX);

    private final String prefix;
    private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();

    private AttributeNames(String prefix) {
        this.prefix = prefix;
    }

    /** The attribute name for {@code key}. */
    public String of(String key) {
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

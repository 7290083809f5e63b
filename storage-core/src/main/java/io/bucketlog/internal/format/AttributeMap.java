package io.bucketlog.internal.format;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A decoded event's attributes: names and values side by side in one array, in stored order,
 * unmodifiable. A scan builds one per event, and a {@code LinkedHashMap} of an event's handful of
 * attributes in an unmodifiable view was most of the bytes each event cost to build (its table,
 * an entry per attribute and the view); here it is this object and the array. Lookups are
 * linear, which for the few attributes of a log event is as fast as hashing.
 *
 * <p>Equal to any map of the same entries, with the same hash code, as {@link java.util.Map}
 * asks. {@link Builder} keeps the first position and the last value of a name stored twice (only
 * a hand-made block has one), as a {@code LinkedHashMap} would.
 */
final class AttributeMap extends AbstractMap<String, String> {
    /** Above this many a record's attributes go into a {@code LinkedHashMap} instead. */
    static final int MAX = 16;

    /** Names at even indices, each one's value after it. */
    private final String[] pairs;
    private final int size;

    private AttributeMap(String[] pairs, int size) {
        this.pairs = pairs;
        this.size = size;
    }

    /** Collects a record's attributes into a map: this one for up to {@link #MAX} of them. */
    static final class Builder {
        private final String[] pairs;
        /** For more than {@link #MAX} (only a hand-made block): no linear lookups that long. */
        private final Map<String, String> many;
        private int size;

        Builder(int capacity) {
            pairs = capacity > MAX ? null : new String[2 * capacity];
            many = capacity > MAX ? new LinkedHashMap<>(capacity * 2) : null;
        }

        void put(String name, String value) {
            if (many != null) {
                many.put(name, value);
                return;
            }
            for (int i = 0; i < size; i++) {
                if (pairs[2 * i].equals(name)) {
                    pairs[2 * i + 1] = value;
                    return;
                }
            }
            pairs[2 * size] = name;
            pairs[2 * size + 1] = value;
            size++;
        }

        Map<String, String> build() {
            return many != null ? Collections.unmodifiableMap(many) : new AttributeMap(pairs, size);
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String get(Object name) {
        int i = indexOf(name);
        return i < 0 ? null : pairs[i + 1];
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    private int indexOf(Object name) {
        for (int i = 0; i < 2 * size; i += 2) {
            if (pairs[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < 2 * size;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= 2 * size) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, String> e = new SimpleImmutableEntry<>(pairs[next], pairs[next + 1]);
                        next += 2;
                        return e;
                    }
                };
            }
        };
    }
}

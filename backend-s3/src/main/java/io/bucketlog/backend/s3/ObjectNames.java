package io.bucketlog.backend.s3;

import java.util.regex.Pattern;

/**
 * The names of the storage SPI (package {@code io.bucketlog.spi}): non-empty segments of
 * {@code [A-Za-z0-9._-]} joined by {@code /}, none starting with {@code .}. Segments starting with
 * {@code .} are this backend's own (the parts of growing objects), which is why no name can reach
 * them and no listing shows them.
 */
final class ObjectNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    private ObjectNames() {
    }

    static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    /** {@code name} if it is a name, else {@link IllegalArgumentException}. */
    static String checkName(String name) {
        if (!isName(name)) {
            throw new IllegalArgumentException("invalid object name \"" + printable(name)
                    + "\": segments of [A-Za-z0-9._-] joined by '/', none empty or starting with '.'");
        }
        return name;
    }

    /** {@code prefix} if it is {@code ""} or a name followed by {@code /}. */
    static String checkPrefix(String prefix) {
        if (prefix == null || !(prefix.isEmpty()
                || (prefix.endsWith("/") && isName(prefix.substring(0, prefix.length() - 1))))) {
            throw new IllegalArgumentException("invalid listing prefix \"" + printable(prefix)
                    + "\": \"\" or a name followed by '/'");
        }
        return prefix;
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}

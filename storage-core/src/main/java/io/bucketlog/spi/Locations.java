package io.bucketlog.spi;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The form of location strings: {@code scheme://rest} names a backend by its scheme; anything
 * else (a path, or a {@code file:} URI) is a local directory. A path is thus never read as
 * another backend's location, even one containing a colon ({@code logs:old}).
 */
public final class Locations {
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://.*",
            Pattern.DOTALL);

    private Locations() {
    }

    /** The scheme of a {@code scheme://...} location, lower case; empty for a path. */
    public static Optional<String> scheme(String location) {
        Matcher m = SCHEME.matcher(location);
        return m.matches() ? Optional.of(m.group(1).toLowerCase(java.util.Locale.ROOT))
                : Optional.empty();
    }
}

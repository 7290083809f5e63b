package io.bucketlog.backend.s3;

import java.util.regex.Pattern;

/**
 * Where a storage lives in an object store: {@code s3://bucket/prefix}, without options. Names map
 * to keys under the prefix, so {@code s3://logs/prod} holds {@code app/stream.conf} at the key
 * {@code prod/app/stream.conf}.
 *
 * @param bucket the bucket, as S3 names them (3 to 63 of {@code [a-z0-9.-]})
 * @param prefix the key prefix, {@code ""} for the bucket's root, else names' segments joined by
 *        {@code /}, without a leading or trailing {@code /}
 */
public record S3Location(String bucket, String prefix) {
    static final String SCHEME = "s3://";
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Location {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("invalid S3 bucket name: " + bucket);
        }
        if (prefix == null || (!prefix.isEmpty() && !ObjectNames.isName(prefix))) {
            throw new IllegalArgumentException("invalid key prefix in " + SCHEME + bucket + "/" + prefix
                    + ": segments of [A-Za-z0-9._-] joined by '/', none empty or starting with '.'");
        }
    }

    /**
     * Parses {@code s3://bucket} or {@code s3://bucket/prefix} (a trailing {@code /} is allowed);
     * the options after {@code ?} are {@link S3Options#fromQuery}'s.
     */
    public static S3Location parse(String location) {
        if (location == null || !location.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new IllegalArgumentException("not an s3:// location: " + location);
        }
        String rest = location.substring(SCHEME.length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        int slash = rest.indexOf('/');
        return slash < 0 ? new S3Location(rest, "") : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** The key of {@code name}, which must be valid. */
    String key(String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The key prefix for listing under the name prefix {@code namePrefix} ({@code ""} or ending with {@code /}). */
    String keyPrefix(String namePrefix) {
        return prefix.isEmpty() ? namePrefix : prefix + "/" + namePrefix;
    }

    @Override
    public String toString() {
        return prefix.isEmpty() ? SCHEME + bucket : SCHEME + bucket + "/" + prefix;
    }
}

package io.bucketlog.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the times that {@code --since} and {@code --until} accept, the way {@code journalctl}
 * users expect: {@code now}, {@code today}, {@code yesterday}, a relative age ({@code 30s},
 * {@code 10m}, {@code 2h}, {@code 3d}, {@code 1w}: that long ago), an ISO-8601 instant
 * ({@code 2026-11-26T10:15:30Z}, with an offset or not: without one it is local time), a local date
 * and time ({@code 2026-11-26 10:15}) or a date ({@code 2026-11-26}, its midnight). Dates and
 * times without an offset are read in the given zone.
 */
final class TimeSpec {
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)(?:\\s*ago)?");

    /** The last instant whose epoch nanoseconds fit in a long (2262-04-11T23:47:16.854775807Z). */
    private static final Instant LAST = Instant.ofEpochSecond(0, Long.MAX_VALUE);

    private TimeSpec() {
    }

    /** Nanoseconds since the epoch. */
    static long parse(String text, Clock clock, ZoneId zone) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        switch (t) {
            case "now":
                return nanos(now);
            case "today":
                return nanos(LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant());
            case "yesterday":
                return nanos(LocalDate.ofInstant(now, zone).minusDays(1).atStartOfDay(zone).toInstant());
            default:
                break;
        }
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("age '" + text + "' is too large");
            }
            try {
                Duration d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofDays(Math.multiplyExact(7, n));
                };
                return nanos(now.minus(d));
            } catch (DateTimeException | ArithmeticException e) {
                throw new IllegalArgumentException("age '" + text + "' is too large");
            }
        }
        String iso = text.trim().replace(' ', 'T');
        try {
            return nanos(OffsetDateTime.parse(iso).toInstant());
        } catch (DateTimeException notOffset) {
            // try the forms without an offset
        }
        try {
            return nanos(Instant.parse(iso));
        } catch (DateTimeException notInstant) {
            // try local forms
        }
        try {
            return nanos(LocalDateTime.parse(iso).atZone(zone).toInstant());
        } catch (DateTimeException notLocal) {
            // try a date
        }
        try {
            return nanos(LocalDate.parse(iso).atStartOfDay(zone).toInstant());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("cannot read time '" + text + "': use now, today,"
                    + " yesterday, an age such as 10m, 2h or 3d, or ISO-8601 such as"
                    + " 2026-11-26T10:15:30Z or 2026-11-26");
        }
    }

    private static long nanos(Instant i) {
        try {
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("time " + i + " is outside what Bucketlog can store"
                    + " (nanoseconds since 1970 in 64 bits: until " + LAST + ")");
        }
    }
}

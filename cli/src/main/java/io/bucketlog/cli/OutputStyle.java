package io.bucketlog.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How times and levels look in the text output: local time and coloured levels on a terminal
 * (like {@code journalctl}), UTC and no colour when piped; {@code --utc} and {@code --local}
 * override. Times always have nine fraction digits, so columns line up and sort as text.
 *
 * @param zone the zone of text times
 * @param colour whether levels are coloured (ANSI)
 */
record OutputStyle(ZoneId zone, boolean colour) {
    /** UTC, no colour: what a pipe or a file gets. */
    static final OutputStyle PLAIN = new OutputStyle(ZoneOffset.UTC, false);

    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSSSS");
    private static final String RESET = "\u001b[0m";

    /** A machine-readable instant: ISO-8601 in UTC with nine fraction digits. */
    static String utc(long nanos) {
        return UTC.format(instant(nanos));
    }

    /** The time of a text line, in this style's zone. */
    String time(long nanos) {
        return zone.equals(ZoneOffset.UTC) ? utc(nanos) : LOCAL.withZone(zone).format(instant(nanos));
    }

    /** The level padded to five columns, coloured if this style colours. */
    String level(String level) {
        String padded = String.format("%-5s", SafeText.escape(level, false));
        if (!colour) {
            return padded;
        }
        String code = switch (level.toUpperCase(java.util.Locale.ROOT)) {
            case "FATAL", "ERROR" -> "\u001b[1;31m";
            case "WARN", "WARNING" -> "\u001b[33m";
            case "INFO" -> "\u001b[32m";
            default -> "\u001b[2m";
        };
        return code + padded + RESET;
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}

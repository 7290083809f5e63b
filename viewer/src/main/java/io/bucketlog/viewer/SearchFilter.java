package io.bucketlog.viewer;

import io.bucketlog.Event;
import io.bucketlog.Names;
import io.bucketlog.reader.EventFilters;
import io.bucketlog.reader.Query;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The filter every API call shares, read from the request's parameters: {@code stream} (required),
 * {@code key}, {@code level} (that level and above), {@code from} and {@code to} (ISO-8601 instants
 * or epoch milliseconds; {@code to} is exclusive), {@code q} (text that the message or an attribute
 * value contains; a regular expression with {@code regex=true}) and {@code attr} (repeatable,
 * {@code name=value}, or {@code name=prefix*}).
 *
 * @param fromNanos start of the range, or {@code null}
 * @param toNanos end of the range (exclusive), or {@code null}
 * @param text text to find, or {@code null}
 * @param regex the pattern to find, or {@code null}
 * @param attributes attribute conditions, in the order given
 */
record SearchFilter(String stream, String key, String level, Long fromNanos, Long toNanos,
                    String text, Pattern regex, List<AttributeCondition> attributes) {
    private static final int MAX_PATTERN_CHARS = 1000;
    private static final int MAX_ATTRIBUTE_CONDITIONS = 20;

    /** {@code name=value}, or a prefix match when the value ends with {@code *}. */
    record AttributeCondition(String name, String value, boolean prefix) {
    }

    static SearchFilter of(Context ctx) {
        String stream = ctx.queryParam("stream");
        if (stream == null || stream.isEmpty()) {
            throw new BadRequestException("the parameter 'stream' is required");
        }
        String key = blankToNull(ctx.queryParam("key"));
        String level = blankToNull(ctx.queryParam("level"));
        try {
            Names.checkStream(stream);
            if (key != null) {
                Names.checkKey(key);
            }
            if (level != null) {
                EventFilters.minLevel(level);
            }
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        Long from = time(ctx.queryParam("from"), "from");
        Long to = time(ctx.queryParam("to"), "to");
        if (from != null && to != null && to < from) {
            throw new BadRequestException("the range ends before it starts");
        }
        String q = blankToNull(ctx.queryParam("q"));
        Pattern regex = null;
        if (q != null && "true".equals(ctx.queryParam("regex"))) {
            if (q.length() > MAX_PATTERN_CHARS) {
                throw new BadRequestException("a pattern has at most " + MAX_PATTERN_CHARS + " characters");
            }
            try {
                regex = Pattern.compile(q);
            } catch (PatternSyntaxException e) {
                throw new BadRequestException("bad regular expression: " + e.getDescription());
            }
            q = null;
        }
        List<AttributeCondition> attrs = new ArrayList<>();
        for (String a : ctx.queryParams("attr")) {
            if (a.isBlank()) {
                continue;
            }
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new BadRequestException("an attribute condition is name=value, not '" + a + "'");
            }
            String value = a.substring(eq + 1);
            boolean prefix = value.endsWith("*");
            attrs.add(new AttributeCondition(a.substring(0, eq),
                    prefix ? value.substring(0, value.length() - 1) : value, prefix));
        }
        if (attrs.size() > MAX_ATTRIBUTE_CONDITIONS) {
            throw new BadRequestException("at most " + MAX_ATTRIBUTE_CONDITIONS + " attribute conditions");
        }
        return new SearchFilter(stream, key, level, from, to, q, regex, List.copyOf(attrs));
    }

    /** Whether a filter beyond key and time applies, so that events must be decoded and tested. */
    boolean testsEvents() {
        return level != null || text != null || regex != null || !attributes.isEmpty();
    }

    /**
     * Applies key, range and, with {@code budget} first, the event tests to {@code query}. The
     * budget is left out when every event of the range is kept (no key, nothing tested), so that
     * a histogram can count block tables; a key's events are decoded, so they are budgeted.
     */
    Query applyTo(Query query, ScanBudget budget) {
        if (key != null) {
            query.key(key);
        }
        if (fromNanos != null) {
            query.fromNanos(fromNanos);
        }
        if (toNanos != null) {
            query.toNanos(toNanos);
        }
        if (key != null || testsEvents()) {
            query.filter(budget);
        }
        if (testsEvents()) {
            query.filter(eventTest(budget));
        }
        return query;
    }

    /** The level, text and attribute tests as one predicate (what a tail applies per event). */
    Predicate<Event> eventTest(ScanBudget budget) {
        List<Predicate<Event>> tests = new ArrayList<>();
        if (level != null) {
            tests.add(EventFilters.minLevel(level));
        }
        for (AttributeCondition a : attributes) {
            tests.add(a.prefix() ? EventFilters.attributePrefix(a.name(), a.value())
                    : EventFilters.attributeEquals(a.name(), a.value()));
        }
        if (text != null) {
            tests.add(e -> anyText(e, s -> s.contains(text)));
        }
        if (regex != null) {
            tests.add(e -> anyText(e, s -> regex.matcher(new DeadlineText(s, budget)).find()));
        }
        return e -> {
            for (Predicate<Event> t : tests) {
                if (!t.test(e)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Whether the message (the body) or any attribute value satisfies {@code test}. */
    private static boolean anyText(Event e, Predicate<String> test) {
        if (test.test(e.bodyText())) {
            return true;
        }
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
            if (test.test(a.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static Long time(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant t = value.chars().allMatch(Character::isDigit)
                    ? Instant.ofEpochMilli(Long.parseLong(value)) : Instant.parse(value);
            if (t.isBefore(Instant.EPOCH) || t.getEpochSecond() > Long.MAX_VALUE / 1_000_000_000L - 1) {
                throw new BadRequestException("'" + name + "' is out of range: " + value);
            }
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new BadRequestException("'" + name + "' is neither an ISO-8601 instant nor epoch"
                    + " milliseconds: " + value);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

package io.bucketlog.config;

import io.bucketlog.EventSlot;
import io.bucketlog.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * The key pattern of the log appenders: literal text mixed with {@code %logger}, {@code %thread},
 * {@code %level} and {@code %X{name}} (a context-map / MDC value, empty when absent). For example
 * {@code %X{userId}} keys each event by the user it concerns, so that one user's timeline is a
 * key lookup. {@code %%} is a literal percent sign.
 *
 * <p>Parsed once at start-up; {@link #render} and {@link #renderTo} allocate nothing.
 */
public final class KeyTemplate {

    /** Where the template's values come from, for one log event. */
    public interface Fields {
        CharSequence logger();

        CharSequence thread();

        CharSequence level();

        /** A context-map value, or {@code null}. */
        CharSequence context(String name);
    }

    private enum Kind { LITERAL, LOGGER, THREAD, LEVEL, CONTEXT }

    private record Part(Kind kind, String text) {
    }

    private final Part[] parts;
    private final String source;

    private KeyTemplate(List<Part> parts, String source) {
        this.parts = parts.toArray(new Part[0]);
        this.source = source;
    }

    /** @throws IllegalArgumentException on an unknown or malformed conversion */
    public static KeyTemplate parse(String pattern) {
        List<Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c != '%') {
                lit.append(c);
                i++;
                continue;
            }
            if (pattern.startsWith("%%", i)) {
                lit.append('%');
                i += 2;
                continue;
            }
            if (lit.length() > 0) {
                parts.add(new Part(Kind.LITERAL, lit.toString()));
                lit.setLength(0);
            }
            if (pattern.startsWith("%logger", i)) {
                parts.add(new Part(Kind.LOGGER, null));
                i += 7;
            } else if (pattern.startsWith("%thread", i)) {
                parts.add(new Part(Kind.THREAD, null));
                i += 7;
            } else if (pattern.startsWith("%level", i)) {
                parts.add(new Part(Kind.LEVEL, null));
                i += 6;
            } else if (pattern.startsWith("%X{", i)) {
                int end = pattern.indexOf('}', i);
                if (end < 0 || end == i + 3) {
                    throw new IllegalArgumentException("%X needs a name in braces, e.g. %X{userId}");
                }
                parts.add(new Part(Kind.CONTEXT, pattern.substring(i + 3, end)));
                i = end + 1;
            } else {
                throw new IllegalArgumentException("unknown conversion at '" + pattern.substring(i)
                        + "'; use %logger, %thread, %level, %X{name} or %%");
            }
        }
        if (lit.length() > 0) {
            parts.add(new Part(Kind.LITERAL, lit.toString()));
        }
        return new KeyTemplate(parts, pattern);
    }

    /**
     * Appends the key of one event to {@code out}, at most one character more than a key may have
     * (so the writer still sees it is too long and cuts it): a huge context value is never copied.
     */
    public void render(Fields f, StringBuilder out) {
        int limit = out.length() + Names.MAX_KEY_BYTES + 1;
        for (Part p : parts) {
            CharSequence v = switch (p.kind) {
                case LITERAL -> p.text;
                case LOGGER -> f.logger();
                case THREAD -> f.thread();
                case LEVEL -> f.level();
                case CONTEXT -> f.context(p.text);
            };
            if (v != null) {
                int room = limit - out.length();
                if (room <= 0) {
                    return;
                }
                out.append(v, 0, Math.min(v.length(), room));
            }
        }
    }

    /**
     * Sets the key of one event on {@code slot}. A template of one conversion (such as
     * {@code %X{userId}}) hands over the value itself, which the slot may keep by reference when
     * it is a {@code String}; others are rendered into {@link EventSlot#keyText}.
     */
    public void renderTo(Fields f, EventSlot slot) {
        if (parts.length != 1) {
            render(f, slot.keyText());
            return;
        }
        Part p = parts[0];
        slot.key(switch (p.kind) {
            case LITERAL -> p.text;
            case LOGGER -> f.logger();
            case THREAD -> f.thread();
            case LEVEL -> f.level();
            case CONTEXT -> f.context(p.text);
        });
    }

    /** Context-map names the template reads. */
    public List<String> contextNames() {
        List<String> out = new ArrayList<>();
        for (Part p : parts) {
            if (p.kind == Kind.CONTEXT) {
                out.add(p.text);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return source;
    }
}

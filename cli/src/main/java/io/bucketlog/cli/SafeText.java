package io.bucketlog.cli;

/**
 * Log content made safe to print on a terminal: control characters (C0, DEL and C1, which
 * include ESC and the CSI that start terminal escape sequences) become visible escapes, so a
 * logged string cannot move the cursor, recolour the screen or retitle the window.
 */
final class SafeText {
    private SafeText() {
    }

    /** Escapes every control character; with {@code lines}, newlines and tabs stay as they are. */
    static String escape(String s, boolean lines) {
        int i = 0;
        while (i < s.length() && !needsEscape(s.charAt(i), lines)) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!needsEscape(c, lines)) {
                b.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    private static boolean needsEscape(char c, boolean lines) {
        return isControl(c) && !(lines && (c == '\n' || c == '\t'));
    }
}

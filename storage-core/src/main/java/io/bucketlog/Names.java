package io.bucketlog;

import io.bucketlog.internal.format.ByteSink;

/**
 * The rules for names that come from users. Stream names become directory names, so they are held
 * to a portable file-name alphabet; keys and attribute names never touch the file system but are
 * bounded so that one bad event cannot bloat a footer.
 */
public final class Names {
    public static final int MAX_STREAM_LENGTH = 128;
    public static final int MAX_KEY_BYTES = 1024;
    public static final int MAX_ATTRIBUTE_NAME_LENGTH = 256;

    private Names() {
    }

    /** Throws {@link IllegalArgumentException} unless {@code name} is a valid stream name. */
    public static String checkStream(String name) {
        String problem = streamProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid stream name " + quote(name) + ": " + problem);
        }
        return name;
    }

    /** Why {@code name} is not a valid stream name, or {@code null} if it is. */
    public static String streamProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (name.length() > MAX_STREAM_LENGTH) {
            return "longer than " + MAX_STREAM_LENGTH + " characters";
        }
        if (name.charAt(0) == '.' || name.charAt(0) == '-') {
            return "must not start with '.' or '-'";
        }
        if (name.charAt(name.length() - 1) == '.') {
            return "must not end with '.' (Windows drops it, so two streams would share a directory)";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return "only letters, digits, '.', '_' and '-' are allowed";
            }
        }
        if (isWindowsDeviceName(name)) {
            return "a reserved device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9)";
        }
        return null;
    }

    /**
     * Whether Windows reserves the name for a device: its part before the first '.' is CON, PRN,
     * AUX, NUL, COM1-COM9 or LPT1-LPT9, in any case ({@code nul.txt} is the device too).
     */
    private static boolean isWindowsDeviceName(String name) {
        int dot = name.indexOf('.');
        String base = (dot < 0 ? name : name.substring(0, dot)).toUpperCase(java.util.Locale.ROOT);
        switch (base) {
            case "CON", "PRN", "AUX", "NUL":
                return true;
            default:
                return base.length() == 4 && (base.startsWith("COM") || base.startsWith("LPT"))
                        && base.charAt(3) >= '1' && base.charAt(3) <= '9';
        }
    }

    /**
     * Why an attribute value cannot be stored as given, or {@code null} if it can. Values may hold
     * any character, control characters included (a stack trace has line breaks), but not an
     * unpaired surrogate: it has no UTF-8 form, and storing a replacement would silently change the
     * value, where a key or a name with the same character is refused.
     */
    public static String valueProblem(CharSequence value) {
        int len = value.length();
        for (int i = 0; i < len; i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < len
                        && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return UNPAIRED_SURROGATE;
                }
            }
        }
        return null;
    }

    private static final String UNPAIRED_SURROGATE = "contains an unpaired surrogate (not valid Unicode)";

    /** Why {@code key} is not a valid key, or {@code null} if it is. Empty keys are allowed. */
    public static String keyProblem(CharSequence key) {
        if (key == null) {
            return "null";
        }
        int len = key.length();
        if (len > MAX_KEY_BYTES) {
            return "longer than " + MAX_KEY_BYTES + " bytes";
        }
        String chars = charProblem(key);
        if (chars != null) {
            return chars;
        }
        if (len * 3 > MAX_KEY_BYTES && ByteSink.utf8Length(key) > MAX_KEY_BYTES) {
            return "longer than " + MAX_KEY_BYTES + " bytes";
        }
        return null;
    }

    /**
     * Why {@code name} is not a valid attribute name, or {@code null} if it is: non-empty, at most
     * {@value #MAX_ATTRIBUTE_NAME_LENGTH} characters, no control characters.
     */
    public static String attributeNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (name.length() > MAX_ATTRIBUTE_NAME_LENGTH) {
            return "longer than " + MAX_ATTRIBUTE_NAME_LENGTH + " characters";
        }
        return charProblem(name);
    }

    /**
     * Control characters are refused because they corrupt terminals and line-based tools; unpaired
     * surrogates because they have no UTF-8 form, so two different keys would be stored as one.
     */
    private static String charProblem(CharSequence s) {
        int len = s.length();
        for (int i = 0; i < len; i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return "contains a control character";
            }
        }
        return valueProblem(s);
    }

    /** Throws {@link IllegalArgumentException} unless {@code key} is a valid key. */
    public static String checkKey(String key) {
        String problem = keyProblem(key);
        if (problem != null) {
            throw new IllegalArgumentException("invalid key " + quote(key) + ": " + problem);
        }
        return key;
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(s.length() > 80 ? "...\"" : "\"").toString();
    }
}

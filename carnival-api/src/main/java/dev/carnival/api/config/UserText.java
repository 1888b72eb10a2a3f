package dev.carnival.api.config;

/**
 * Puts text a user wrote (a key, a value, a name) into a one-line message: control and
 * line-breaking characters escaped, so no input can break a line or forge a log line, and cut to
 * {@value #MAX_CHARS} characters, so a 100 KB key gives a short message.
 */
public final class UserText {
    /** The most characters of user text a message quotes. */
    public static final int MAX_CHARS = 80;

    private UserText() {}

    /** {@code text} escaped, cut, and in single quotes: {@code 'a\n b'}. */
    public static String quote(String text) {
        return "'" + escape(text, MAX_CHARS) + "'";
    }

    /**
     * {@code text} with every control character written as an escape ({@code \n}, {@code \t},
     * {@code \u001b}), cut after {@code max} characters with a note of how many more there were.
     */
    public static String escape(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
        int shown = Math.min(text.length(), max);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> out.append("\\0");
                default -> {
                    if (isControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (text.length() > shown) {
            out.append("...(").append(text.length() - shown).append(" more characters)");
        }
        return out.toString();
    }

    /** The index of the first control character in {@code text}, or -1. */
    public static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * C0, DEL and C1 controls, the Unicode line and paragraph separators, and the bidirectional
     * controls, which can make a line display as another.
     */
    public static boolean isControl(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u061c'
                || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}

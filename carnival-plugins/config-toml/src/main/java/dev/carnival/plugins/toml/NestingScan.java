package dev.carnival.plugins.toml;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Limits;
import dev.carnival.api.config.Location;

/**
 * Finds arrays and inline tables nested deeper than {@link Limits#MAX_DEPTH} before tomlj
 * sees the text: its parser recurses once per level and would run out of stack. A single pass
 * that knows only what can hide a bracket (strings, comments, table headers); everything else
 * is left to tomlj to judge.
 */
final class NestingScan {
    private NestingScan() {}

    static void check(String text, String origin) throws ConfigException {
        int depth = 1; // the document's own table
        int line = 1;
        int column = 0;
        boolean lineStart = true;
        boolean header = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            column++;
            if (c == '\n') {
                line++;
                column = 0;
                lineStart = true;
                header = false;
                continue;
            }
            if (c == '#') {
                while (i + 1 < n && text.charAt(i + 1) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                boolean multi = text.startsWith(c == '"' ? "\"\"\"" : "'''", i);
                int end = multi ? endOfMultiline(text, i + 3, c) : endOfString(text, i + 1, c);
                for (int j = i + 1; j < end; j++) {
                    if (text.charAt(j) == '\n') {
                        line++;
                        column = 0;
                    } else {
                        column++;
                    }
                }
                i = end - 1;
                lineStart = false;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                continue;
            }
            if (c == '[' && lineStart && depth == 1) {
                header = true; // [table] or [[array.of.tables]]: a name, not a value
            } else if (!header && (c == '[' || c == '{')) {
                if (++depth > Limits.MAX_DEPTH) {
                    throw new ConfigException(new Location(origin, line, column),
                            "TOML nested deeper than " + Limits.MAX_DEPTH + " levels");
                }
            } else if (!header && (c == ']' || c == '}') && depth > 1) {
                depth--;
            }
            lineStart = false;
        }
    }

    /** The index after a one-line string's closing quote (or its line's end, if unterminated). */
    private static int endOfString(String text, int from, char quote) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                return i;
            }
            if (c == '\\' && quote == '"') {
                i++;
            } else if (c == quote) {
                return i + 1;
            }
        }
        return text.length();
    }

    /** The index after a multi-line string's closing delimiter, with the up to two quotes it may end with. */
    private static int endOfMultiline(String text, int from, char quote) {
        String delimiter = quote == '"' ? "\"\"\"" : "'''";
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quote == '"') {
                i++;
            } else if (text.startsWith(delimiter, i)) {
                int end = i + 3;
                for (int extra = 0; extra < 2 && end < text.length() && text.charAt(end) == quote; extra++) {
                    end++;
                }
                return end;
            }
        }
        return text.length();
    }
}

package dev.carnival.runtime.config;

import java.util.Map;
import java.util.function.Function;

/**
 * Environment interpolation exactly as the original Carnival does it: {@code ${VAR}},
 * {@code ${VAR:-default}} and {@code $VAR}. A variable that is not set and has no default is
 * kept as written, so the shell a service runs can expand it at run time (e.g.
 * {@code $CARNIVAL_REPLICA_ID}). A variable set to the empty string counts as set. In a
 * default, {@code \}} stands for {@code }} and {@code \\} for {@code \}.
 *
 * <p>One left-to-right scan with no recursion and no backtracking: linear in the text's length,
 * whatever its length (a regular expression here overflowed the stack on a long default).
 */
public final class Interpolator {
    private final Map<String, String> environment;
    private final Function<String, String> lookup;

    public Interpolator(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.lookup = this.environment::get;
    }

    private Interpolator(Map<String, String> environment, Function<String, String> lookup) {
        this.environment = environment;
        this.lookup = lookup;
    }

    /**
     * This interpolator, falling back to {@code more} for a variable its environment lacks
     * (an env file's earlier lines, as Compose does).
     */
    public Interpolator orElse(Map<String, String> more) {
        return new Interpolator(environment, name -> {
            String v = environment.get(name);
            return v != null ? v : more.get(name);
        });
    }

    /** Expands every variable in {@code text}. */
    public String expand(String text) {
        int dollar = text.indexOf('$');
        if (dollar < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        out.append(text, 0, dollar);
        int i = dollar;
        while (i < text.length()) {
            char c = text.charAt(i);
            int end = c == '$' ? variable(text, i, out) : -1;
            if (end < 0) {
                // Not a variable: the '$' (or any other character) is kept, and the scan goes on
                // after it, so "${A:-$B" still expands $B.
                out.append(c);
                i++;
            } else {
                i = end;
            }
        }
        return out.toString();
    }

    /**
     * If a variable starts at {@code start} (a '$'), appends its expansion and returns the index
     * after it; otherwise appends nothing and returns -1.
     */
    private int variable(String text, int start, StringBuilder out) {
        int i = start + 1;
        if (i < text.length() && text.charAt(i) == '{') {
            int nameEnd = nameEnd(text, i + 1);
            if (nameEnd < 0) {
                return -1;
            }
            String name = text.substring(i + 1, nameEnd);
            if (nameEnd < text.length() && text.charAt(nameEnd) == '}') {
                String value = lookup.apply(name);
                out.append(value != null ? value : text.substring(start, nameEnd + 1));
                return nameEnd + 1;
            }
            if (!text.startsWith(":-", nameEnd)) {
                return -1;
            }
            StringBuilder fallback = new StringBuilder();
            int j = nameEnd + 2;
            while (j < text.length()) {
                char c = text.charAt(j);
                if (c == '}') {
                    String value = lookup.apply(name);
                    out.append(value != null ? value : fallback.toString());
                    return j + 1;
                }
                if (c == '\\') {
                    if (j + 1 >= text.length() || isLineTerminator(text.charAt(j + 1))) {
                        return -1;
                    }
                    char next = text.charAt(j + 1);
                    if (next != '}' && next != '\\') {
                        fallback.append(c);
                    }
                    fallback.append(next);
                    j += 2;
                } else {
                    fallback.append(c);
                    j++;
                }
            }
            return -1;
        }
        int nameEnd = nameEnd(text, i);
        if (nameEnd < 0) {
            return -1;
        }
        String value = lookup.apply(text.substring(i, nameEnd));
        out.append(value != null ? value : text.substring(start, nameEnd));
        return nameEnd;
    }

    /** The end of a variable name ({@code [A-Za-z_][A-Za-z0-9_]*}) starting at {@code i}, or -1 if none does. */
    private static int nameEnd(String text, int i) {
        if (i >= text.length() || !(isLetter(text.charAt(i)) || text.charAt(i) == '_')) {
            return -1;
        }
        int j = i + 1;
        while (j < text.length() && (isLetter(text.charAt(j)) || text.charAt(j) == '_'
                || (text.charAt(j) >= '0' && text.charAt(j) <= '9'))) {
            j++;
        }
        return j;
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** What the original's pattern ('\' then any character but a line end) could not escape. */
    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }
}

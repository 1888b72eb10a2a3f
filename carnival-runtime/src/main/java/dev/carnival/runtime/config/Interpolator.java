package dev.carnival.runtime.config;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Environment interpolation exactly as the original Carnival does it: {@code ${VAR}},
 * {@code ${VAR:-default}} and {@code $VAR}. A variable that is not set and has no default is
 * kept as written, so the shell a service runs can expand it at run time (e.g.
 * {@code $CARNIVAL_REPLICA_ID}). A variable set to the empty string counts as set. In a
 * default, {@code \}} stands for {@code }} and {@code \\} for {@code \}.
 */
public final class Interpolator {
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-((?:[^}\\\\]|\\\\.)*))?\\}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private final Function<String, String> lookup;
    private final Map<String, String> environment;

    public Interpolator(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.lookup = this.environment::get;
    }

    private Interpolator(Map<String, String> environment, Function<String, String> lookup) {
        this.environment = environment;
        this.lookup = lookup;
    }

    /** The variables this interpolator expands. */
    public Map<String, String> environment() {
        return environment;
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
        if (text.indexOf('$') < 0) {
            return text;
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replacement(m)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String replacement(Matcher m) {
        if (m.group(3) != null) {
            String value = lookup.apply(m.group(3));
            return value != null ? value : m.group();
        }
        String value = lookup.apply(m.group(1));
        if (value != null) {
            return value;
        }
        String fallback = m.group(2);
        if (fallback == null) {
            return m.group();
        }
        return fallback.replace("\\}", "}").replace("\\\\", "\\");
    }
}

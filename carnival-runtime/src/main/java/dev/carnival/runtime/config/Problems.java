package dev.carnival.runtime.config;

import dev.carnival.api.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every configuration problem instead of stopping at the first, so one run of
 * {@code carnival check} (or a failed start) shows the user everything to fix.
 */
public final class Problems {
    private final List<ConfigException> problems = new ArrayList<>();

    /** A conversion that may find a problem. */
    @FunctionalInterface
    public interface Attempt<T> {
        T get() throws ConfigException;
    }

    public void add(ConfigException problem) {
        problems.add(problem);
    }

    /**
     * Runs {@code attempt}; on a problem, records it (and those it carries, see
     * {@link #throwIfAny()}) and returns {@code fallback}.
     */
    public <T> T attempt(Attempt<T> attempt, T fallback) {
        try {
            return attempt.get();
        } catch (ConfigException e) {
            problems.addAll(of(e));
            return fallback;
        }
    }

    /** Every problem, in document order. */
    public List<ConfigException> all() {
        List<ConfigException> sorted = new ArrayList<>(problems);
        sorted.sort(Problems::inDocumentOrder);
        return sorted;
    }

    // A method, not Comparator combinators: see the start-up rules in StartupClassesIT (carnival-dist).
    private static int inDocumentOrder(ConfigException a, ConfigException b) {
        int byLine = Integer.compare(a.location().line(), b.location().line());
        return byLine != 0 ? byLine : Integer.compare(a.location().column(), b.location().column());
    }

    /** Throws the first problem, carrying the others as suppressed exceptions. */
    public void throwIfAny() throws ConfigException {
        if (problems.isEmpty()) {
            return;
        }
        List<ConfigException> sorted = all();
        ConfigException first = sorted.getFirst();
        if (first.getSuppressed().length > 0) {
            // It carries others from an earlier throw, which are recorded here already: not twice.
            first = new ConfigException(first.location(), first.problem());
        }
        for (ConfigException other : sorted.subList(1, sorted.size())) {
            first.addSuppressed(other);
        }
        throw first;
    }

    /** The problems carried by {@code e}: itself, then what {@link #throwIfAny()} attached. */
    public static List<ConfigException> of(ConfigException e) {
        List<ConfigException> all = new ArrayList<>();
        all.add(e);
        for (Throwable t : e.getSuppressed()) {
            if (t instanceof ConfigException c) {
                all.add(c);
            }
        }
        return all;
    }
}

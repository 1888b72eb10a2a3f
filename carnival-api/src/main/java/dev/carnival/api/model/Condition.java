package dev.carnival.api.model;

import java.util.Locale;
import java.util.Optional;

/** What a service waits for in each of its dependencies ({@code depends-on}). */
public enum Condition {
    /** Every replica of the dependency has a running process. */
    STARTED,
    /** Every replica passes its readiness probe; for a service without one, the same as started. */
    READY,
    /** Every replica exited 0 and will not run again (one-shot tasks such as migrations). */
    COMPLETED;

    /** The name used in configs: {@code started}, {@code ready}, {@code completed}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The condition named {@code id}, if there is one. */
    public static Optional<Condition> of(String id) {
        for (Condition c : values()) {
            if (c.id().equals(id)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}

package dev.carnival.api.model;

import java.util.Map;
import java.util.Objects;

/**
 * Which restart policy a service uses, by name, and the options given to it
 * ({@code restart-options} in a config file).
 */
public record RestartSpec(String policy, Map<String, String> options) {
    /** The default: run once. */
    public static final RestartSpec NO = new RestartSpec("no", Map.of());

    /** Copies the options; rejects a null policy name. */
    public RestartSpec {
        Objects.requireNonNull(policy, "policy");
        options = Map.copyOf(options);
    }

    /** A policy with no options. */
    public static RestartSpec of(String policy) {
        return new RestartSpec(policy, Map.of());
    }
}

package dev.carnival.api.probe;

import dev.carnival.api.config.ConfigException;

/**
 * Makes {@link Probe}s of one kind, as named in a config ({@code exec = [...]}, {@code http = "..."},
 * {@code tcp = "..."}, or {@code probe = "name"} for any other). Found with
 * {@link java.util.ServiceLoader}; names are unique across all providers.
 */
public interface ProbeProvider {

    /** The name used in configs. Non-blank, unique. */
    String name();

    /**
     * Makes the probe for one service's readiness or liveness, while the configuration is loaded
     * (before anything starts). Reject bad options by throwing; options not read here are
     * reported by Carnival as unknown.
     */
    Probe create(ProbeOptions options) throws ConfigException;
}

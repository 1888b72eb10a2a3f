package dev.carnival.api.restart;

import dev.carnival.api.config.ConfigException;

/**
 * Makes {@link RestartPolicy} instances for one policy name, as named in a config
 * ({@code restart = "on-failure"}). Found with {@link java.util.ServiceLoader}; names are unique
 * across all providers.
 */
public interface RestartPolicyProvider {

    /** The name used in configs. Non-blank, unique. */
    String name();

    /**
     * Makes the policy for one service, while the configuration is loaded (before anything
     * starts). Reject bad options by throwing; options not read here are reported by Carnival as
     * unknown.
     */
    RestartPolicy create(PolicyOptions options) throws ConfigException;
}

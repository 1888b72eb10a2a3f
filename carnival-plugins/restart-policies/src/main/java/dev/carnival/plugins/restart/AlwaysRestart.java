package dev.carnival.plugins.restart;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;

/**
 * {@code restart = "always"}: restart after the configured delay, whatever the exit status,
 * growing the delay in a crash loop when {@link Backoff restart-options} ask for it.
 */
public final class AlwaysRestart implements RestartPolicyProvider {

    @Override
    public String name() {
        return "always";
    }

    @Override
    public RestartPolicy create(PolicyOptions options) throws ConfigException {
        Backoff backoff = Backoff.read(options);
        return outcome -> RestartDecision.restartAfter(backoff.delay(outcome));
    }
}

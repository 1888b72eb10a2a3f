package dev.carnival.plugins.restart;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;

/**
 * {@code restart = "on-failure"}: restart after the configured delay unless the run succeeded (its
 * exit code is one of the service's {@code success-exit-codes}, by default only 0), growing the
 * delay in a crash loop when {@link Backoff restart-options} ask for it. Being killed by a signal
 * counts as a failure unless 128 + the signal's number is a success exit code.
 */
public final class OnFailureRestart implements RestartPolicyProvider {
    private static final RestartDecision STOP = RestartDecision.stop("policy: on-failure");

    @Override
    public String name() {
        return "on-failure";
    }

    @Override
    public RestartPolicy create(PolicyOptions options) throws ConfigException {
        Backoff backoff = Backoff.read(options);
        return outcome -> {
            if (outcome.succeeded()) {
                backoff.forget(outcome.replica());
                return STOP;
            }
            return RestartDecision.restartAfter(backoff.delay(outcome));
        };
    }
}

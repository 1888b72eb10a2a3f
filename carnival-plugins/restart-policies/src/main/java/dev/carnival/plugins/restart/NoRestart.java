package dev.carnival.plugins.restart;

import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;

/** {@code restart = "no"}: run once (one-shot tasks). The default. */
public final class NoRestart implements RestartPolicyProvider {
    private static final RestartDecision STOP = RestartDecision.stop("policy: no");

    @Override
    public String name() {
        return "no";
    }

    @Override
    public RestartPolicy create(PolicyOptions options) {
        return outcome -> STOP;
    }
}

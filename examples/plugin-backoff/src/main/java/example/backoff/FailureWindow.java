package example.backoff;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;

/**
 * {@code restart = "failure-window"}: restart a failing replica after the service's
 * {@code restart-delay-ms}, like {@code on-failure}, but give up on it once it has failed
 * {@code max-failures} times within {@code window-ms} (a replica that fails now and then keeps
 * running; one that is broken stops instead of looping). An exit with code 0 stops the replica.
 *
 * <p>Options, from the service's {@code restart-options}:
 * <ul>
 *   <li>{@code max-failures}: failures that make it give up, {@code >= 1}; default 5
 *   <li>{@code window-ms}: how far back failures count; default 60000
 * </ul>
 */
public final class FailureWindow implements RestartPolicyProvider {

    @Override
    public String name() {
        return "failure-window";
    }

    @Override
    public RestartPolicy create(PolicyOptions options) throws ConfigException {
        return new WindowPolicy(WindowOptions.read(options), System::nanoTime);
    }
}

package example.backoff;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;

/**
 * {@code restart = "exponential-backoff"}: restart a crashing replica after longer and longer
 * delays, and forget the crashes once it has stayed up for a while.
 *
 * <p>Options, from the service's {@code restart-options}:
 * <ul>
 *   <li>{@code initial-delay-ms}: the first delay; default the service's {@code restart-delay-ms}
 *   <li>{@code factor}: how much each further delay grows, {@code >= 1}; default 2
 *   <li>{@code max-delay-ms}: the longest delay; default 60000
 *   <li>{@code reset-after-ms}: a run that stayed up at least this long starts the backoff over
 *       at the initial delay; default 10000
 *   <li>{@code on}: {@code failure} (default) stops after an exit with code 0, as
 *       {@code on-failure} does; {@code always} restarts whatever the exit status
 * </ul>
 * The delay after the k-th consecutive short run is {@code min(max, initial * factor^(k-1))}.
 */
public final class ExponentialBackoff implements RestartPolicyProvider {

    @Override
    public String name() {
        return "exponential-backoff";
    }

    @Override
    public RestartPolicy create(PolicyOptions options) throws ConfigException {
        return new BackoffPolicy(BackoffOptions.read(options));
    }
}

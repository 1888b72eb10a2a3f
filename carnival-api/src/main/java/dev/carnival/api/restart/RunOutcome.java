package dev.carnival.api.restart;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import java.time.Duration;

/**
 * How one run of a replica ended: what a {@link RestartPolicy} decides on.
 *
 * @param run            1 for the first run, 2 after the first restart, and so on
 * @param uptime         how long the process ran
 * @param configuredDelay the service's {@code restart-delay-ms}
 */
public record RunOutcome(ReplicaId replica, int run, ExitStatus status, Duration uptime, Duration configuredDelay) {}

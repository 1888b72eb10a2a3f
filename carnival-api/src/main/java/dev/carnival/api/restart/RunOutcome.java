package dev.carnival.api.restart;

import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.SuccessExitCodes;
import java.time.Duration;
import java.util.Objects;

/**
 * How one run of a replica ended: what a {@link RestartPolicy} decides on.
 *
 * @param run            1 for the first run, 2 after the first restart, and so on
 * @param uptime         how long the process ran
 * @param configuredDelay the service's {@code restart-delay-ms}
 * @param successExitCodes the service's {@code success-exit-codes}
 */
public record RunOutcome(ReplicaId replica, int run, ExitStatus status, Duration uptime, Duration configuredDelay,
                         SuccessExitCodes successExitCodes) {
    /** Rejects null success exit codes. */
    public RunOutcome {
        Objects.requireNonNull(successExitCodes, "successExitCodes");
    }

    /** An outcome of a service whose only success is exit code 0. */
    public RunOutcome(ReplicaId replica, int run, ExitStatus status, Duration uptime, Duration configuredDelay) {
        this(replica, run, status, uptime, configuredDelay, SuccessExitCodes.DEFAULT);
    }

    /** Whether the run succeeded: its status is one of the service's {@code success-exit-codes}. */
    public boolean succeeded() {
        return successExitCodes.test(status);
    }
}

package dev.carnival.api;

import java.util.List;
import java.util.Locale;

/**
 * A snapshot of a supervisor and all its replicas, in config order.
 *
 * @param generation the config generation: 1 at start, one more for each reload that changed something
 */
public record SupervisorStatus(Phase phase, List<ReplicaStatus> replicas, long generation) {
    /** Copies the replicas. */
    public SupervisorStatus {
        replicas = List.copyOf(replicas);
    }

    /** A snapshot of the first generation. */
    public SupervisorStatus(Phase phase, List<ReplicaStatus> replicas) {
        this(phase, replicas, 1);
    }

    /**
     * Where the supervisor is in its life. {@code DRAINING}: a graceful shutdown was asked for and
     * {@code [global] drain-ms} runs: services still run, readiness fails.
     */
    public enum Phase {
        /** Made, not started yet. */
        NEW,
        /** Running its init commands and the checks before services start. */
        INIT,
        /** Its services run. */
        RUNNING,
        /** A graceful shutdown was asked for and {@code drain-ms} runs. */
        DRAINING,
        /** Stopping its services, within {@code shutdown-timeout-ms}. */
        STOPPING,
        /** Finished: no service runs. */
        STOPPED;

        /** The lower-case name used in JSON and metrics. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

package dev.carnival.api;

import java.util.List;

/** A snapshot of a supervisor and all its replicas, in config order. */
public record SupervisorStatus(Phase phase, List<ReplicaStatus> replicas) {
    public SupervisorStatus {
        replicas = List.copyOf(replicas);
    }

    /** Where the supervisor is in its life. */
    public enum Phase {
        NEW, INIT, RUNNING, STOPPING, STOPPED
    }
}

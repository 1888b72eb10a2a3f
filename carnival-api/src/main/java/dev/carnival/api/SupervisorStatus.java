package dev.carnival.api;

import java.util.List;
import java.util.Locale;

/** A snapshot of a supervisor and all its replicas, in config order. */
public record SupervisorStatus(Phase phase, List<ReplicaStatus> replicas) {
    public SupervisorStatus {
        replicas = List.copyOf(replicas);
    }

    /** Where the supervisor is in its life. */
    public enum Phase {
        NEW, INIT, RUNNING, STOPPING, STOPPED;

        /** The lower-case name used in JSON and metrics. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

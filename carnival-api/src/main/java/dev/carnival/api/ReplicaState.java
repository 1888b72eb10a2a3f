package dev.carnival.api;

/** Where a replica is in its life. */
public enum ReplicaState {
    /** Not started yet (init commands still running). */
    PENDING,
    /** Its process is running. */
    RUNNING,
    /** Its process ended and it waits for its restart delay. */
    WAITING_RESTART,
    /** Its process is being stopped because the supervisor is shutting down. */
    STOPPING,
    /** It will not run again. */
    STOPPED
}

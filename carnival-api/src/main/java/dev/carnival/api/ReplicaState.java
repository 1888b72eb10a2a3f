package dev.carnival.api;

import java.util.Locale;

/** Where a replica is in its life; {@link #id()} is the name used in JSON and the status table. */
public enum ReplicaState {
    /** Not started yet (init commands still running). */
    PENDING,
    /** Waiting for the conditions of its dependencies to hold. */
    WAITING,
    /** Its process is running. */
    RUNNING,
    /** Its process ended; its restart policy is deciding what comes next (a brief step). */
    EXITED,
    /** Its process ended and it waits out its restart delay. */
    BACKOFF,
    /** A scheduled job between runs: it waits for its schedule's next firing (or {@code carnival start}). */
    SCHEDULED,
    /** Its process is being stopped (shutdown, operator request, failed liveness probe). */
    STOPPING,
    /** It has no process and will not run again unless an operator starts it. */
    STOPPED;

    /** The lower-case name: {@code running}, {@code backoff}... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

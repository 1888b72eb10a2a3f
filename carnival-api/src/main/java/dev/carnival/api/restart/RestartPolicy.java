package dev.carnival.api.restart;

/**
 * Decides, each time a replica's process ends, whether it runs again. {@code restart-limit} is
 * enforced by Carnival for every policy, so a policy never counts runs against it. A supervisor
 * shutting down never asks.
 *
 * <p>Called on the replica's own (virtual) thread, once per exit; one instance serves every
 * replica of a service, so it must be thread-safe. It must return quickly and must not block:
 * listeners hear of the exit only once it has answered, together with what it decided.
 * An exception thrown here stops that replica, and is logged.
 */
@FunctionalInterface
public interface RestartPolicy {
    /** Decides what happens after the run {@code outcome} describes. */
    RestartDecision decide(RunOutcome outcome);
}

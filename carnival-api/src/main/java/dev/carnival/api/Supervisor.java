package dev.carnival.api;

import java.time.Duration;
import java.util.Optional;

/**
 * A running set of supervised processes. Made by {@link Carnival}. An embedded supervisor never
 * installs signal handlers, never calls {@link System#exit}, and reaps only the processes it
 * started.
 */
public interface Supervisor extends AutoCloseable {

    /** Runs the init commands, then starts every service. Returns at once; call once. */
    void start();

    /** Asks for a graceful shutdown. Idempotent; returns at once. */
    void stop();

    /** Waits until the supervisor has stopped and returns its exit code. */
    int await() throws InterruptedException;

    /** Waits at most {@code timeout}; empty when still running then. */
    Optional<Integer> await(Duration timeout) throws InterruptedException;

    /** A consistent snapshot of every replica. */
    SupervisorStatus status();

    /** {@link #stop()}, then {@link #await()}. */
    @Override
    void close() throws InterruptedException;
}

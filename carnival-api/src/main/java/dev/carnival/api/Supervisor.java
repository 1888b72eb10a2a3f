package dev.carnival.api;

import dev.carnival.api.model.Signal;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A running set of supervised processes. Made by {@link Carnival}. An embedded supervisor never
 * installs signal handlers, never calls {@link System#exit}, and reaps only the processes it
 * started.
 *
 * <p>The operator operations take a target: a service name ({@code web}), meaning each of its
 * replicas, or one replica as {@code NAME/INDEX} ({@code web/1}). An unknown target is an
 * {@link IllegalArgumentException} naming it. Each returns a future that completes when the
 * operation has been carried out.
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

    /**
     * Stops the target's processes (stop-signal, then SIGKILL after stop-timeout-ms) and keeps them
     * stopped until {@link #start(String)}. Never triggers a critical shutdown. Completes when every
     * process of the target has exited.
     */
    CompletableFuture<Void> stop(String target);

    /**
     * Runs a stopped target again, also one that finished for good (by policy or restart-limit),
     * with a fresh restart-limit count. Completes when its processes have been started (or failed
     * to). Running replicas are left alone.
     */
    CompletableFuture<Void> start(String target);

    /** Stop, then start, whatever the restart policy says. */
    CompletableFuture<Void> restart(String target);

    /** Sends {@code signal} to the process group of each running replica of the target. */
    CompletableFuture<Void> signal(String target, Signal signal);

    /** {@link #stop()}, then {@link #await()}. */
    @Override
    void close() throws InterruptedException;
}

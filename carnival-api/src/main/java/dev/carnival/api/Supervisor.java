package dev.carnival.api;

import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.api.reload.ReloadPlan;
import dev.carnival.api.reload.ReloadResult;
import dev.carnival.api.reload.ServiceOutcome;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A running set of supervised processes. Made by {@link Carnival}. An embedded supervisor never
 * installs signal handlers, never calls {@link System#exit}, and reaps only the processes it
 * started.
 *
 * <p>Operator operations ({@link Operation}: stop, start, restart, signal) go through
 * {@link #perform}; {@link #stop(String)} and its siblings are shorthands for it.
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
     * Carries out an operator's {@code operation}: the one entry point for stop, start, restart and
     * signal. An unknown target is an {@link IllegalArgumentException} naming it; during a
     * shutdown only {@link Operation.Stop} and {@link Operation.SendSignal} are accepted (the
     * others fail with an {@link IllegalStateException}). The future completes when the operation
     * has been carried out.
     */
    CompletableFuture<Void> perform(Operation operation);

    /** {@link Operation.Stop} of {@code target}, asked for through this API. */
    default CompletableFuture<Void> stop(String target) {
        return perform(new Operation.Stop(target, Operation.Origin.API));
    }

    /** {@link Operation.Start} of {@code target}, asked for through this API. */
    default CompletableFuture<Void> start(String target) {
        return perform(new Operation.Start(target, Operation.Origin.API));
    }

    /** {@link Operation.Restart} of {@code target}, asked for through this API. */
    default CompletableFuture<Void> restart(String target) {
        return perform(new Operation.Restart(target, Operation.Origin.API));
    }

    /** {@link Operation.SendSignal} to {@code target}, asked for through this API. */
    default CompletableFuture<Void> signal(String target, Signal signal) {
        return perform(new Operation.SendSignal(target, signal, Operation.Origin.API));
    }

    /** The config generation: 1 at start, one more for each reload that changed something. */
    default long generation() {
        return status().generation();
    }

    /**
     * What {@link #reload} would do to take the running config to {@code next}, a validated config;
     * changes nothing.
     */
    default ReloadPlan plan(CarnivalConfig next) {
        throw new UnsupportedOperationException("this supervisor cannot reload");
    }

    /**
     * Applies {@code next}, a validated config, service by service as {@link #plan} says. One
     * reload at a time: a second waits for the first. Completes with the result once every change
     * has been carried out or a rollout halted; exceptionally with {@link IllegalStateException}
     * during shutdown, or {@link IllegalArgumentException} when {@code next} cannot be applied (its
     * plugins do not resolve), nothing applied then.
     */
    default CompletableFuture<ReloadResult> reload(CarnivalConfig next) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this supervisor cannot reload"));
    }

    /**
     * Runs {@code replicas} replicas of {@code service}: new ones are added at the end, the highest
     * indexes stopped; the others keep their processes. The next reload returns to the config's count.
     */
    default CompletableFuture<Void> scale(String service, int replicas) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this supervisor cannot scale"));
    }

    /**
     * Replaces {@code service}'s replicas one at a time, each only once the one before it runs and
     * is ready, with its rollout settings; the outcome says whether it halted, and where.
     */
    default CompletableFuture<ServiceOutcome> rollingRestart(String service) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this supervisor cannot roll"));
    }

    /** {@link #stop()}, then {@link #await()}. */
    @Override
    void close() throws InterruptedException;
}

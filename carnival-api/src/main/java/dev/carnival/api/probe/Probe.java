package dev.carnival.api.probe;

import java.util.concurrent.CompletionStage;

/**
 * Checks one replica once: whether it is ready, or alive. One instance serves every replica of
 * a service, so it must be thread-safe.
 *
 * <p>Carnival calls {@link #check} on its one probe timer thread, for every probe of every
 * replica: it must return at once and never block (no thread per check; use asynchronous I/O, or
 * {@link ProbeContext#exec} for a command). Checks of one replica's probe never overlap. A check
 * not completed within {@link ProbeContext#timeout()} counts as a failure, and Carnival then
 * completes the returned stage's {@code toCompletableFuture()} exceptionally with a
 * {@link java.util.concurrent.TimeoutException}: a probe holding a connection closes it when its
 * stage completes. The same happens when the probe is stopped (the replica is stopping), with a
 * {@link java.util.concurrent.CancellationException}. An exception thrown, or a stage completed
 * exceptionally, counts as a failure.
 */
@FunctionalInterface
public interface Probe {
    /** Starts one check of the replica {@code context} describes; see above for the rules. */
    CompletionStage<ProbeResult> check(ProbeContext context);
}

package dev.carnival.runtime.probe;

import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.probe.Probe;
import dev.carnival.api.probe.ProbeContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs every probe of every replica on one timer thread: no thread per probe or per replica.
 * Checks are asynchronous ({@link Probe}), so the timer only starts them, cuts them at their
 * timeout and counts their results.
 */
public final class ProbeScheduler implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final boolean owned;

    private ProbeScheduler(ScheduledExecutorService timer, boolean owned) {
        this.timer = timer;
        this.owned = owned;
    }

    /** A scheduler on a timer thread of its own, {@code carnival-probes}, closed with it. */
    public static ProbeScheduler ownTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                task -> Thread.ofPlatform().daemon().name("carnival-probes").unstarted(task));
        timer.setRemoveOnCancelPolicy(true); // a stopped probe's next check must not linger in the queue
        return new ProbeScheduler(timer, true);
    }

    /** A scheduler on a shared single-threaded timer, which its owner closes. */
    public static ProbeScheduler on(ScheduledExecutorService timer) {
        return new ProbeScheduler(timer, false);
    }

    /**
     * Starts probing: the first check after {@code spec.initialDelay()}, then one per period.
     *
     * @param contexts         the context of each check, given a future that completes when that
     *                         check has ended (done, cut at its timeout, or stopped)
     * @param initiallyPassing false for readiness (not ready until a success), true for liveness
     * @param observer         called on the timer thread after every check; must not block
     */
    public ProbeWatch watch(Probe probe, ProbeSpec spec, Function<CompletableFuture<Void>, ProbeContext> contexts,
                            boolean initiallyPassing, Consumer<Verdict> observer) {
        ProbeWatch watch = new ProbeWatch(timer, probe, spec, contexts, initiallyPassing, observer);
        watch.begin();
        return watch;
    }

    @Override
    public void close() {
        if (owned) {
            timer.shutdownNow();
        }
    }
}

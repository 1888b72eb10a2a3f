package dev.carnival.runtime.probe;

import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.probe.Probe;
import dev.carnival.api.probe.ProbeContext;
import dev.carnival.api.probe.ProbeResult;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One probe of one replica, with Kubernetes' semantics: a check per period (never two at once),
 * each cut at the timeout; {@code success-threshold} consecutive successes make it pass,
 * {@code failure-threshold} consecutive failures make it fail. Every field but {@link #stopped}
 * is touched on the timer thread only.
 */
public final class ProbeWatch {
    private static final Logger LOG = LoggerFactory.getLogger("carnival");

    private final ScheduledExecutorService timer;
    private final Probe probe;
    private final ProbeSpec spec;
    private final Function<CompletableFuture<Void>, ProbeContext> contexts;
    private final Consumer<Verdict> observer;
    private volatile boolean stopped;

    private boolean passing;
    private int successes;
    private int failures;
    private ScheduledFuture<?> next;
    private CompletableFuture<ProbeResult> inFlight;
    private CompletableFuture<Void> inFlightEnded;

    ProbeWatch(ScheduledExecutorService timer, Probe probe, ProbeSpec spec,
               Function<CompletableFuture<Void>, ProbeContext> contexts, boolean initiallyPassing,
               Consumer<Verdict> observer) {
        this.timer = timer;
        this.probe = probe;
        this.spec = spec;
        this.contexts = contexts;
        this.passing = initiallyPassing;
        this.observer = observer;
    }

    void begin() {
        onTimer(() -> next = timer.schedule(this::check, spec.initialDelay().toNanos(), TimeUnit.NANOSECONDS));
    }

    /**
     * Stops probing: no check starts after this returns, and no verdict is reported after the one
     * being reported, if any. A check under way is ended (its exec command's group is killed).
     */
    public void stop() {
        stopped = true;
        onTimer(() -> {
            if (next != null) {
                next.cancel(false);
            }
            end(new CancellationException("probe stopped"));
        });
    }

    private void check() {
        if (stopped) {
            return;
        }
        long started = System.nanoTime();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        CompletableFuture<ProbeResult> result;
        try {
            var stage = probe.check(contexts.apply(ended));
            result = stage == null
                    ? CompletableFuture.completedFuture(ProbeResult.failure("the probe returned no result"))
                    : stage.toCompletableFuture();
        } catch (RuntimeException e) {
            result = CompletableFuture.completedFuture(ProbeResult.failure("the probe failed: " + e));
        }
        inFlight = result;
        inFlightEnded = ended;
        CompletableFuture<ProbeResult> mine = result;
        ScheduledFuture<?> cut = timer.schedule(() -> mine.completeExceptionally(new TimeoutException()),
                spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
        result.whenComplete((r, e) -> {
            cut.cancel(false);
            onTimer(() -> finished(mine, r, e, started));
        });
    }

    private void finished(CompletableFuture<ProbeResult> check, ProbeResult r, Throwable e, long started) {
        if (stopped || check != inFlight) {
            return;
        }
        end(null);
        ProbeResult result = e == null ? (r == null ? ProbeResult.failure("the probe returned no result") : r)
                : ProbeResult.failure(describe(e));
        boolean changed = false;
        if (result.success()) {
            failures = 0;
            successes++;
            if (!passing && successes >= spec.successThreshold()) {
                passing = changed = true;
            }
        } else {
            successes = 0;
            failures++;
            if (passing && failures >= spec.failureThreshold()) {
                passing = false;
                changed = true;
            }
        }
        try {
            observer.accept(new Verdict(result, passing, changed, failures));
        } catch (RuntimeException x) {
            LOG.error("probe observer failed", x);
        }
        if (!stopped) {
            long wait = spec.period().toNanos() - (System.nanoTime() - started);
            next = timer.schedule(this::check, Math.max(0, wait), TimeUnit.NANOSECONDS);
        }
    }

    /** Ends the check under way, if any: the probe's stage, then its context's. */
    private void end(Throwable why) {
        if (inFlight != null) {
            if (why != null) {
                inFlight.completeExceptionally(why);
            }
            inFlightEnded.complete(null);
            inFlight = null;
            inFlightEnded = null;
        }
    }

    private String describe(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TimeoutException) {
            return "timed out after " + spec.timeout().toMillis() + "ms";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private void onTimer(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            // the timer is closed: the supervisor is done, and so is every probe
        }
    }
}

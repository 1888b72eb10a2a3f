package example.backoff;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RunOutcome;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * The failure window of one service. Carnival makes one policy per service and calls it for
 * every replica, each from its own thread, so the recent failure times are kept per
 * {@link ReplicaId} in a concurrent map: one replica's failures never count against another.
 *
 * <p>They cannot be derived from the {@link RunOutcome} alone, which tells how the last run
 * ended, not when the earlier ones did. A first run ({@code run() == 1}) starts with no
 * failures, so stale state never leaks into a replica that starts over; a replica that stops
 * for good drops its entry.
 */
final class WindowPolicy implements RestartPolicy {
    private static final RestartDecision SUCCESS = RestartDecision.stop("policy: failure-window (exited with code 0)");

    private final WindowOptions options;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<ReplicaId, Deque<Long>> failures = new ConcurrentHashMap<>();

    /** @param nanoTime the clock failures are timed with (tests pass their own) */
    WindowPolicy(WindowOptions options, LongSupplier nanoTime) {
        this.options = options;
        this.nanoTime = nanoTime;
    }

    @Override
    public RestartDecision decide(RunOutcome outcome) {
        if (outcome.status().success()) {
            failures.remove(outcome.replica());
            return SUCCESS;
        }
        long now = nanoTime.getAsLong();
        long since = now - options.window().toNanos();
        // compute() is atomic per key, and the deque is only ever touched inside it.
        int recent = failures.compute(outcome.replica(), (id, times) -> {
            Deque<Long> t = times == null || outcome.run() == 1 ? new ArrayDeque<>() : times;
            while (!t.isEmpty() && t.peekFirst() - since < 0) {
                t.removeFirst();
            }
            t.addLast(now);
            return t;
        }).size();
        if (recent >= options.maxFailures()) {
            failures.remove(outcome.replica());
            return RestartDecision.stop("policy: failure-window (" + recent + " failures within "
                    + options.window().toMillis() + " ms)");
        }
        return RestartDecision.restartAfter(outcome.configuredDelay());
    }
}

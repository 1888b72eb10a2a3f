package example.backoff;

import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RunOutcome;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The backoff for one service. Carnival makes one policy per service and calls it for every
 * replica, each replica from its own thread, so the consecutive-crash count is kept per
 * {@link ReplicaId} in a concurrent map: one replica's crashes never slow another's restarts.
 *
 * <p>The count cannot be derived from the {@link RunOutcome} alone: it gives the run number but
 * not how long earlier runs stayed up, and a stable run in between must reset the count. A first
 * run ({@code run() == 1}) always starts a fresh count, so stale state can never leak into a
 * replica that starts over; a replica that stops for good drops its entry.
 */
final class BackoffPolicy implements RestartPolicy {
    private static final RestartDecision STOP = RestartDecision.stop("policy: exponential-backoff");

    private final BackoffOptions options;
    private final ConcurrentMap<ReplicaId, Integer> shortRuns = new ConcurrentHashMap<>();

    BackoffPolicy(BackoffOptions options) {
        this.options = options;
    }

    @Override
    public RestartDecision decide(RunOutcome outcome) {
        if (options.restartOn() == BackoffOptions.RestartOn.FAILURE && outcome.status().success()) {
            shortRuns.remove(outcome.replica());
            return STOP;
        }
        // compute() is atomic per key; a replica's own calls never overlap anyway.
        int k = shortRuns.compute(outcome.replica(), (id, previous) ->
                previous == null || outcome.run() == 1 || stayedUp(outcome) ? 1 : saturatingIncrement(previous));
        return RestartDecision.restartAfter(delay(k, options.initialDelay().orElse(outcome.configuredDelay())));
    }

    private boolean stayedUp(RunOutcome outcome) {
        return outcome.uptime().compareTo(options.resetAfter()) >= 0;
    }

    /** {@code min(max, initial * factor^(k-1))}, for the k-th consecutive short run (k >= 1). */
    Duration delay(int k, Duration initial) {
        long maxMs = options.maxDelay().toMillis();
        if (initial.isZero()) {
            return Duration.ZERO; // and not 0 * infinity = NaN below
        }
        // In double, so a huge k or factor saturates at infinity, which the cap then absorbs.
        double ms = initial.toMillis() * Math.pow(options.factor(), k - 1);
        return Duration.ofMillis(ms >= maxMs ? maxMs : Math.round(ms));
    }

    private static int saturatingIncrement(int n) {
        return n == Integer.MAX_VALUE ? n : n + 1;
    }
}

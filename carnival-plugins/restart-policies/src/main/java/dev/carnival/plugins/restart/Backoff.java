package dev.carnival.plugins.restart;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RunOutcome;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Crash-loop backoff for {@code always} and {@code on-failure}, from {@code restart-options}:
 * {@code backoff} (a multiplier {@code >= 1}; 1, the default, is the original's fixed
 * {@code restart-delay-ms}), {@code max-delay-ms} (default 300000) and {@code reset-after-ms}
 * (default 60000). The k-th short run in a row is followed by
 * {@code restart-delay-ms * backoff^(k-1)}, growing no further than {@code max-delay-ms} (a
 * {@code restart-delay-ms} above that is kept as it is, so no config of the original changes);
 * a run that lasted {@code reset-after-ms} starts over at k = 1.
 *
 * <p>The count is kept per replica: one policy serves every replica of a service, each calling
 * from its own thread, and a run outcome says how long the last run lasted but not the earlier
 * ones. A first run starts a fresh count.
 */
final class Backoff {
    static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(300_000);
    static final Duration DEFAULT_RESET_AFTER = Duration.ofMillis(60_000);

    private final double multiplier;
    private final Duration maxDelay;
    private final Duration resetAfter;
    private final ConcurrentMap<ReplicaId, Integer> shortRuns = new ConcurrentHashMap<>();

    private Backoff(double multiplier, Duration maxDelay, Duration resetAfter) {
        this.multiplier = multiplier;
        this.maxDelay = maxDelay;
        this.resetAfter = resetAfter;
    }

    /** Reads the three options, so Carnival reports any other as unknown. */
    static Backoff read(PolicyOptions options) throws ConfigException {
        double multiplier = options.decimal("backoff", 1);
        if (multiplier < 1) {
            throw new ConfigException(options.location(), "restart option 'backoff' must be a number >= 1, got '"
                    + options.text("backoff").orElseThrow() + "'");
        }
        return new Backoff(multiplier, options.millis("max-delay-ms", DEFAULT_MAX_DELAY),
                options.millis("reset-after-ms", DEFAULT_RESET_AFTER));
    }

    /** The delay before restarting after {@code outcome}. */
    Duration delay(RunOutcome outcome) {
        Duration base = outcome.configuredDelay();
        if (multiplier == 1) {
            return base; // no state to keep
        }
        // compute() is atomic per key; a replica's own calls never overlap anyway.
        int k = shortRuns.compute(outcome.replica(), (id, previous) -> previous == null || outcome.run() == 1
                || outcome.uptime().compareTo(resetAfter) >= 0 ? 1 : previous == Integer.MAX_VALUE ? previous : previous + 1);
        long cap = Math.max(maxDelay.toMillis(), base.toMillis());
        // In double, so a long crash loop saturates at infinity, which the cap absorbs.
        double ms = base.toMillis() * Math.pow(multiplier, k - 1);
        return ms >= cap ? Duration.ofMillis(cap) : Duration.ofMillis(Math.round(ms));
    }

    /** Drops a replica's count once it stops for good. */
    void forget(ReplicaId replica) {
        shortRuns.remove(replica);
    }
}

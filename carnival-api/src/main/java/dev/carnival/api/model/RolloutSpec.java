package dev.carnival.api.model;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a reload or {@code restart --rolling} replaces a service's replicas ({@code rollout},
 * {@code rollout-timeout-ms}).
 *
 * @param strategy one replica at a time, or all stopped then all started
 * @param timeout  how long a new replica has to run and become ready before a rolling replacement halts
 */
public record RolloutSpec(Strategy strategy, Duration timeout) {
    /** Rolling, 60 s per replica. */
    public static final RolloutSpec DEFAULT = new RolloutSpec(Strategy.ROLLING, Duration.ofMillis(60_000));

    /** {@code rollout = "rolling" | "recreate"}. */
    public enum Strategy {
        /** One replica at a time, the next once the new one runs and is ready. */
        ROLLING,
        /** Every old replica stopped, then every new one started. */
        RECREATE;

        /** The config's word. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RolloutSpec {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("rollout timeout must be > 0");
        }
    }
}

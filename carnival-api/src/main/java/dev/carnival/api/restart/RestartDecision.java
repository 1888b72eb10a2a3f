package dev.carnival.api.restart;

import java.time.Duration;
import java.util.Objects;

/** What a {@link RestartPolicy} decided: restart after a delay, or stop for good. */
public sealed interface RestartDecision permits RestartDecision.Restart, RestartDecision.Stop {

    /** Start the replica again after {@code delay}. */
    record Restart(Duration delay) implements RestartDecision {
        /** Rejects a negative delay. */
        public Restart {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("restart delay must not be negative");
            }
        }
    }

    /** Do not start the replica again; {@code reason} is logged, e.g. "policy: on-failure". */
    record Stop(String reason) implements RestartDecision {
        /** Rejects a null reason. */
        public Stop {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Start the replica again after {@code delay}. */
    static RestartDecision restartAfter(Duration delay) {
        return new Restart(delay);
    }

    /** Do not start the replica again, for {@code reason}. */
    static RestartDecision stop(String reason) {
        return new Stop(reason);
    }
}

package dev.carnival.api.restart;

import java.time.Duration;
import java.util.Objects;

/** What a {@link RestartPolicy} decided: restart after a delay, or stop for good. */
public sealed interface RestartDecision permits RestartDecision.Restart, RestartDecision.Stop {

    /** Start the replica again after {@code delay}. */
    record Restart(Duration delay) implements RestartDecision {
        public Restart {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("restart delay must not be negative");
            }
        }
    }

    /** Do not start the replica again; {@code reason} is logged, e.g. "policy: on-failure". */
    record Stop(String reason) implements RestartDecision {
        public Stop {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static RestartDecision restartAfter(Duration delay) {
        return new Restart(delay);
    }

    static RestartDecision stop(String reason) {
        return new Stop(reason);
    }
}

package dev.carnival.api.reload;

import java.util.Objects;
import java.util.Optional;

/**
 * How one service's change ended.
 *
 * @param service the service
 * @param action  what was done to it
 * @param halted  for a rollout that halted: the replica ({@code web/2}) whose successor did not
 *                become ready in time; the replicas after it still run the old config
 * @param detail  why it halted, or empty
 */
public record ServiceOutcome(String service, ReloadAction action, Optional<String> halted, String detail) {
    public ServiceOutcome {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(halted, "halted");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@code action} carried out in full. */
    public static ServiceOutcome done(String service, ReloadAction action) {
        return new ServiceOutcome(service, action, Optional.empty(), "");
    }
}

package dev.carnival.api.reload;

import dev.carnival.api.model.ServiceConfig;
import java.util.List;
import java.util.Objects;

/**
 * One service's line of a reload plan.
 *
 * @param service  the service's name
 * @param action   what the reload does to it
 * @param changed  the config keys whose values differ, in {@link ServiceKeys} order (empty for
 *                 {@code add}, {@code remove} and {@code none})
 * @param before   the running config, or null for {@code add}
 * @param after    the new config, or null for {@code remove}
 */
public record ServiceChange(String service, ReloadAction action, List<String> changed, ServiceConfig before,
                            ServiceConfig after) {
    public ServiceChange {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(action, "action");
        changed = List.copyOf(changed);
    }

    /** Replicas before the reload (0 for {@code add}). */
    public int replicasBefore() {
        return before == null ? 0 : before.replicas();
    }

    /**
     * For a {@code restart}: whether its replicas are made anew (all stopped, then all started)
     * rather than rolled, because what a replica is made with changed: the service became a
     * scheduled job or stopped being one, or where its readiness comes from changed to or from
     * {@code notify} (a socket the process is given) or {@code log-line} (its output, read as it
     * is written).
     */
    public boolean remakesReplicas() {
        return action == ReloadAction.RESTART && ServiceKeys.remade(before, after);
    }

    /** Replicas after the reload (0 for {@code remove}). */
    public int replicasAfter() {
        return after == null ? 0 : after.replicas();
    }
}

package dev.carnival.api.reload;

import java.util.List;
import java.util.Optional;

/**
 * What a reload did: the generation the supervisor runs now (unchanged when nothing was applied),
 * the plan it carried out and, for each service of the plan, how its change ended.
 *
 * @param generation the config generation after the reload (1 at start, one more per applied reload)
 * @param plan       the plan carried out
 * @param services   one outcome per line of the plan, in its order
 */
public record ReloadResult(long generation, ReloadPlan plan, List<ServiceOutcome> services) {
    public ReloadResult {
        services = List.copyOf(services);
    }

    /** The first service whose rollout halted, if one did. */
    public Optional<ServiceOutcome> halted() {
        return services.stream().filter(s -> s.halted().isPresent()).findFirst();
    }
}

package dev.carnival.runtime.supervise;

import dev.carnival.api.model.CarnivalConfig;
import java.util.List;

/** What an operation's target names: every replica of a service, or one as {@code NAME/INDEX}. */
final class Targets {
    private Targets() {}

    /**
     * The replicas {@code target} names, in config order.
     *
     * @throws IllegalArgumentException naming the target when there is no such service or replica
     */
    static List<Replica> resolve(String target, List<Replica> replicas, CarnivalConfig config) {
        List<Replica> ofService = replicas.stream().filter(r -> r.id().service().equals(target)).toList();
        if (!ofService.isEmpty() || config.services().stream().anyMatch(s -> s.name().equals(target))) {
            return ofService;
        }
        int slash = target.lastIndexOf('/');
        if (slash > 0) {
            String service = target.substring(0, slash);
            String index = target.substring(slash + 1);
            List<Replica> of = replicas.stream().filter(r -> r.id().service().equals(service)).toList();
            if (!of.isEmpty() && !index.isEmpty() && index.chars().allMatch(Character::isDigit) && index.length() < 10) {
                int i = Integer.parseInt(index);
                if (i < of.size()) {
                    return List.of(of.get(i));
                }
                throw new IllegalArgumentException("unknown replica '" + target + "' (service '" + service + "' has "
                        + of.size() + " replica" + (of.size() == 1 ? "" : "s") + ")");
            }
        }
        throw new IllegalArgumentException("unknown service '" + target + "'");
    }
}

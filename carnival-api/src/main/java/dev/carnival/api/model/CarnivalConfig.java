package dev.carnival.api.model;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A whole supervisor configuration: global settings, init commands, services. */
public record CarnivalConfig(GlobalConfig global, List<InitCommand> init, List<ServiceConfig> services) {
    /**
     * Copies the lists; rejects duplicate service names, and {@code max-memory} when resources
     * are not sampled.
     */
    public CarnivalConfig {
        Objects.requireNonNull(global, "global");
        init = List.copyOf(init);
        services = List.copyOf(services);
        Set<String> names = new HashSet<>();
        for (ServiceConfig s : services) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("duplicate service name '" + s.name() + "'");
            }
            if (s.monitoring().memoryLimit().isPresent() && !global.monitoring().sampling()) {
                throw new IllegalArgumentException("service '" + s.name() + "' has max-memory, but resources are"
                        + " not sampled (resource-period-ms = 0)");
            }
        }
    }

    /** Services only, default global settings, no init commands. */
    public static CarnivalConfig of(ServiceConfig... services) {
        return new CarnivalConfig(GlobalConfig.DEFAULT, List.of(), List.of(services));
    }
}

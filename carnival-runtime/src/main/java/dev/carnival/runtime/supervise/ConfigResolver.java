package dev.carnival.runtime.supervise;

import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.runtime.depend.DependencyGraph;
import dev.carnival.runtime.probe.ServiceProbes;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.ProcessControl;
import java.util.List;
import java.util.Map;

/**
 * How a reload's new config is made ready to run: its plugins resolved, its processes' environments
 * and credentials set up. The composition root provides it ({@code compose.Assembly}); the engine
 * knows nothing of plugins.
 */
@FunctionalInterface
public interface ConfigResolver {
    /** A service ready to run: its policy, the process control for its user and its environment. */
    record Service(ServiceConfig config, RestartPolicy policy, ProcessControl control, Environment environment) {}

    /** Every service of a config, ready to run, with the config's dependencies and probes. */
    record Resolved(List<Service> services, DependencyGraph graph, Map<String, ServiceProbes> probes) {
        public Resolved {
            services = List.copyOf(services);
            probes = Map.copyOf(probes);
        }
    }

    /** A resolver for a supervisor that cannot take a new config. */
    ConfigResolver NONE = next -> {
        throw new IllegalArgumentException("this supervisor was built without a way to resolve a new config");
    };

    /**
     * Resolves {@code next}.
     *
     * @throws IllegalArgumentException with every problem, one per line, when it does not resolve
     */
    Resolved resolve(CarnivalConfig next);
}

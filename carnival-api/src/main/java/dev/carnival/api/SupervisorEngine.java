package dev.carnival.api;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.output.OutputListener;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.restart.RestartPolicyProvider;
import java.nio.file.Path;
import java.util.List;

/**
 * What the API needs from an implementation: a service provided by carnival-runtime and found by
 * {@link Carnival} with {@link java.util.ServiceLoader}. Not for plugins, nor for embedders, who
 * use {@link Carnival}.
 */
public interface SupervisorEngine {

    /** Reads a config file with whichever config source handles its extension. */
    CarnivalConfig read(Path file) throws ConfigException;

    /** Makes a supervisor; see {@link Request}. Bad restart policies are reported here. */
    Supervisor create(Request request) throws ConfigException;

    /**
     * What to supervise and with which plugins.
     *
     * @param discoverPlugins also use every plugin found with ServiceLoader
     * @param probes          probe providers given in code, on top of any discovered
     * @param outputListeners listeners of the captured services' output lines
     */
    record Request(CarnivalConfig config, List<LifecycleListener> listeners,
                   List<RestartPolicyProvider> policies, boolean discoverPlugins,
                   List<ProbeProvider> probes, List<OutputListener> outputListeners) {
        /** Copies the lists. */
        public Request {
            listeners = List.copyOf(listeners);
            policies = List.copyOf(policies);
            probes = List.copyOf(probes);
            outputListeners = List.copyOf(outputListeners);
        }

        /** A request without probes or output listeners of its own. */
        public Request(CarnivalConfig config, List<LifecycleListener> listeners,
                       List<RestartPolicyProvider> policies, boolean discoverPlugins) {
            this(config, listeners, policies, discoverPlugins, List.of(), List.of());
        }
    }
}

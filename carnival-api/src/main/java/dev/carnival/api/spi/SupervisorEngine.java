package dev.carnival.api.spi;

import dev.carnival.api.Supervisor;
import dev.carnival.api.config.ConfigException;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.restart.RestartPolicyProvider;
import java.nio.file.Path;
import java.util.List;

/**
 * What the API needs from an implementation: provided by carnival-runtime, found by
 * {@link dev.carnival.api.Carnival} with {@link java.util.ServiceLoader}. Not for plugins.
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
     */
    record Request(CarnivalConfig config, List<LifecycleListener> listeners,
                   List<RestartPolicyProvider> policies, boolean discoverPlugins) {
        public Request {
            listeners = List.copyOf(listeners);
            policies = List.copyOf(policies);
        }
    }
}

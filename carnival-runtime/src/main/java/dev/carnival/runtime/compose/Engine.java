package dev.carnival.runtime.compose;

import dev.carnival.runtime.process.Reaping;
import dev.carnival.api.Supervisor;
import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.api.SupervisorEngine;
import dev.carnival.runtime.config.BoundConfig;
import dev.carnival.runtime.config.ConfigBinder;
import dev.carnival.runtime.config.ConfigLoader;
import dev.carnival.runtime.config.Interpolator;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.plugin.PluginException;
import dev.carnival.runtime.plugin.Plugins;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedding engine behind {@link dev.carnival.api.Carnival}. An embedded supervisor installs
 * no signal handlers, never exits the JVM, and reaps only the processes it started.
 */
public final class Engine implements SupervisorEngine {

    @Override
    public CarnivalConfig read(Path file) throws ConfigException {
        Plugins plugins = discover(file.toString());
        return new ConfigLoader(plugins.sources(), new ConfigBinder(new Interpolator(System.getenv())))
                .load(file, Optional.empty()).config();
    }

    @Override
    public Supervisor create(Request request) throws ConfigException {
        Plugins plugins = request.discoverPlugins() ? discover("embedded config") : new Plugins();
        try {
            for (RestartPolicyProvider p : request.policies()) {
                plugins.addPolicy(Plugin.of(RestartPolicyProvider.class, p.name(), p, "embedder"));
            }
            for (ProbeProvider p : request.probes()) {
                plugins.addProbe(Plugin.of(ProbeProvider.class, p.name(), p, "embedder"));
            }
            for (LifecycleListener l : request.listeners()) {
                plugins.addListener(Plugin.of(LifecycleListener.class, l.getClass().getName(), l, "embedder"));
            }
        } catch (PluginException e) {
            throw new ConfigException(Location.of("embedded config"), e.getMessage());
        }
        Plan plan = Plan.load(new BoundConfig(request.config(), new SourceMap("embedded config", Map.of())),
                plugins.policies(), plugins.probes());
        return Assembly.of(plan, ProcessControls.open(Reaping.OWN_CHILDREN)).listeners(plugins.listeners())
                .outputListeners(request.outputListeners()).plugins(plugins.policies(), plugins.probes()).build();
    }

    private static Plugins discover(String origin) throws ConfigException {
        try {
            return Plugins.discover(List.of());
        } catch (PluginException e) {
            throw new ConfigException(Location.of(origin), e.getMessage());
        }
    }
}

package dev.carnival.runtime.probe;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.probe.Probe;
import dev.carnival.api.probe.ProbeOptions;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.runtime.config.Problems;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.plugin.Plugin;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Makes each service's readiness and liveness probes from their providers, before anything starts. */
public final class ProbeResolver {
    private ProbeResolver() {}

    /**
     * The probes of every service that has any, by service name; every problem is reported
     * (see {@link Problems}).
     */
    public static Map<String, ServiceProbes> resolve(CarnivalConfig config, SourceMap sources,
                                                     Map<String, Plugin<ProbeProvider>> providers)
            throws ConfigException {
        Map<String, ServiceProbes> probes = new HashMap<>();
        Problems problems = new Problems();
        for (int i = 0; i < config.services().size(); i++) {
            ServiceConfig s = config.services().get(i);
            if (s.readiness().isEmpty() && s.liveness().isEmpty()) {
                continue;
            }
            int index = i;
            // notify = true is no probe: the replica's READY=1 passes readiness (see notify.NotifySocket).
            Optional<ServiceProbes.Made> readiness = s.readiness().filter(spec -> !spec.notifies()).flatMap(spec ->
                    problems.attempt(() -> Optional.of(make(s, index, "readiness", spec, sources, providers)), Optional.empty()));
            Optional<ServiceProbes.Made> liveness = s.liveness().flatMap(spec ->
                    problems.attempt(() -> Optional.of(make(s, index, "liveness", spec, sources, providers)), Optional.empty()));
            probes.put(s.name(), new ServiceProbes(readiness, liveness));
        }
        problems.throwIfAny();
        return probes;
    }

    private static ServiceProbes.Made make(ServiceConfig s, int index, String which, ProbeSpec spec, SourceMap sources,
                                           Map<String, Plugin<ProbeProvider>> providers) throws ConfigException {
        String key = which + "." + spec.probe();
        Plugin<ProbeProvider> plugin = providers.get(spec.probe());
        if (plugin == null) {
            throw new ConfigException(sources.at(SourceMap.service(index, which + ".probe")),
                    "unknown probe '" + spec.probe() + "' for " + which + " of service '" + s.name() + "' (known probes: "
                            + String.join(", ", new TreeSet<>(providers.keySet())) + ")");
        }
        Location where = sources.at(SourceMap.service(index, spec.target().isEmpty() ? which + ".options" : key));
        ProbeOptions options = new ProbeOptions(spec.target(), spec.options(), where);
        Probe probe;
        try {
            probe = plugin.provider().create(options);
        } catch (RuntimeException e) {
            throw new ConfigException(where, "probe '" + spec.probe() + "' (module " + plugin.module()
                    + ") failed to start for " + which + " of service '" + s.name() + "': " + e);
        }
        if (probe == null) {
            throw new ConfigException(where, "probe '" + spec.probe() + "' (module " + plugin.module()
                    + ") made no probe for " + which + " of service '" + s.name() + "'");
        }
        Set<String> unread = options.unread();
        if (!unread.isEmpty()) {
            throw new ConfigException(where, "unknown probe option" + (unread.size() > 1 ? "s " : " ")
                    + "'" + String.join("', '", unread) + "' for probe '" + spec.probe() + "' of service '" + s.name() + "'");
        }
        return new ServiceProbes.Made(probe, spec);
    }
}

package dev.carnival.runtime.compose;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.config.Options;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.probe.ProbeOptions;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.runtime.config.DidYouMean;
import dev.carnival.runtime.config.Problems;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.probe.ServiceProbes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes what each service asks of a plugin, its restart policy and its probes, from the plugin's
 * provider before anything starts; every problem is reported (see {@link Problems}), each at the
 * location of the key that caused it.
 */
public final class PluginResolver {
    private PluginResolver() {}

    /** How messages name one kind of plugin. */
    private record Kind(String name, String plural, String product, String option) {}

    private static final Kind POLICY = new Kind("restart policy", "policies", "policy", "restart option");
    private static final Kind PROBE = new Kind("probe", "probes", "probe", "probe option");

    /** A provider's factory method. */
    @FunctionalInterface
    private interface Factory<P, O extends Options, T> {
        T create(P provider, O options) throws ConfigException;
    }

    /** The restart policy of every service, by service name. */
    public static Map<String, RestartPolicy> policies(CarnivalConfig config, SourceMap sources,
                                                      Map<String, Plugin<RestartPolicyProvider>> providers)
            throws ConfigException {
        Map<String, RestartPolicy> policies = new HashMap<>();
        Problems problems = new Problems();
        for (int i = 0; i < config.services().size(); i++) {
            ServiceConfig s = config.services().get(i);
            Location nameAt = sources.at(SourceMap.service(i, "restart"));
            PolicyOptions options = new PolicyOptions(s.restart().options(),
                    sources.at(SourceMap.service(i, "restart-options")));
            RestartPolicy policy = problems.attempt(() -> make(POLICY, s.restart().policy(), providers, nameAt, options,
                    "service '" + s.name() + "'", s, RestartPolicyProvider::create), null);
            if (policy != null) {
                policies.put(s.name(), policy);
            }
        }
        problems.throwIfAny();
        return policies;
    }

    /** The probes of every service that has any, by service name. */
    public static Map<String, ServiceProbes> probes(CarnivalConfig config, SourceMap sources,
                                                    Map<String, Plugin<ProbeProvider>> providers) throws ConfigException {
        Map<String, ServiceProbes> probes = new HashMap<>();
        Problems problems = new Problems();
        for (int i = 0; i < config.services().size(); i++) {
            ServiceConfig s = config.services().get(i);
            if (s.readiness().isPresent() || s.liveness().isPresent()) {
                int index = i;
                // notify = true is no probe: the replica's READY=1 passes readiness (see notify.NotifySocket);
                // nor is log-line: the replica's own lines do (see logs.LogLineWatch).
                Optional<ServiceProbes.Made> readiness = s.readiness().filter(spec -> !spec.notifies() && !spec.isLogLine())
                        .flatMap(spec -> problems.attempt(
                                () -> Optional.of(probe(s, index, "readiness", spec, sources, providers)), Optional.empty()));
                Optional<ServiceProbes.Made> liveness = s.liveness().flatMap(spec -> problems.attempt(
                        () -> Optional.of(probe(s, index, "liveness", spec, sources, providers)), Optional.empty()));
                probes.put(s.name(), new ServiceProbes(readiness, liveness));
            }
        }
        problems.throwIfAny();
        return probes;
    }

    private static ServiceProbes.Made probe(ServiceConfig s, int index, String which, ProbeSpec spec, SourceMap sources,
                                            Map<String, Plugin<ProbeProvider>> providers) throws ConfigException {
        String optionsKey = spec.target().isEmpty() ? which + ".options" : which + "." + spec.probe();
        ProbeOptions options = new ProbeOptions(spec.target(), spec.options(), sources.at(SourceMap.service(index, optionsKey)));
        Location nameAt = sources.at(SourceMap.service(index, which + ".probe"));
        return new ServiceProbes.Made(make(PROBE, spec.probe(), providers, nameAt, options,
                which + " of service '" + s.name() + "'", s, ProbeProvider::create), spec);
    }

    /**
     * What plugin {@code name} makes from {@code options} for {@code use} (e.g. "service 'web'"),
     * with every option read.
     */
    private static <P, O extends Options, T> T make(Kind kind, String name, Map<String, Plugin<P>> providers,
                                                    Location nameAt, O options, String use, ServiceConfig s,
                                                    Factory<P, O, T> factory) throws ConfigException {
        Plugin<P> plugin = providers.get(name);
        if (plugin == null) {
            String hint = DidYouMean.hint(name, providers.keySet());
            throw new ConfigException(nameAt, hint.isEmpty()
                    ? "unknown " + kind.name() + " '" + name + "' for " + use + " (known " + kind.plural() + ": "
                            + String.join(", ", new TreeSet<>(providers.keySet())) + ")"
                    : use + ": unknown " + kind.name() + " '" + name + "'" + hint);
        }
        Location where = options.location();
        String which = kind.name() + " '" + name + "' (module " + plugin.module() + ")";
        T made;
        try {
            made = factory.create(plugin.provider(), options);
        } catch (RuntimeException e) {
            throw new ConfigException(where, which + " failed to start for " + use + ": " + e);
        }
        if (made == null) {
            throw new ConfigException(where, which + " made no " + kind.product() + " for " + use);
        }
        Set<String> unread = options.unread();
        if (!unread.isEmpty()) {
            throw new ConfigException(where, "unknown " + kind.option() + (unread.size() > 1 ? "s " : " ") + "'"
                    + String.join("', '", unread) + "' for " + kind.product() + " '" + name + "' of service '" + s.name() + "'");
        }
        return made;
    }
}

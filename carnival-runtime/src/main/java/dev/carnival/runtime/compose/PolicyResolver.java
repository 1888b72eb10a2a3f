package dev.carnival.runtime.compose;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.config.Location;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.runtime.config.Problems;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.plugin.Plugin;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Makes each service's restart policy from its name and options, before anything starts. */
public final class PolicyResolver {
    private PolicyResolver() {}

    /** The policy of every service, by service name; every problem is reported (see {@link Problems}). */
    public static Map<String, RestartPolicy> resolve(CarnivalConfig config, SourceMap sources,
                                                     Map<String, Plugin<RestartPolicyProvider>> providers)
            throws ConfigException {
        Map<String, RestartPolicy> policies = new HashMap<>();
        Problems problems = new Problems();
        for (int i = 0; i < config.services().size(); i++) {
            ServiceConfig s = config.services().get(i);
            int index = i;
            RestartPolicy policy = problems.attempt(() -> resolve(s, index, sources, providers), null);
            if (policy != null) {
                policies.put(s.name(), policy);
            }
        }
        problems.throwIfAny();
        return policies;
    }

    private static RestartPolicy resolve(ServiceConfig s, int index, SourceMap sources,
                                         Map<String, Plugin<RestartPolicyProvider>> providers) throws ConfigException {
        String name = s.restart().policy();
        Plugin<RestartPolicyProvider> plugin = providers.get(name);
        if (plugin == null) {
            throw new ConfigException(sources.at(SourceMap.service(index, "restart")),
                    "unknown restart policy '" + name + "' for service '" + s.name() + "' (known policies: "
                            + String.join(", ", new TreeSet<>(providers.keySet())) + ")");
        }
        Location where = sources.at(SourceMap.service(index, "restart-options"));
        PolicyOptions options = new PolicyOptions(s.restart().options(), where);
        RestartPolicy policy;
        try {
            policy = plugin.provider().create(options);
        } catch (RuntimeException e) {
            throw new ConfigException(where, "restart policy '" + name + "' (module " + plugin.module()
                    + ") failed to start for service '" + s.name() + "': " + e);
        }
        if (policy == null) {
            throw new ConfigException(where, "restart policy '" + name + "' (module " + plugin.module()
                    + ") made no policy for service '" + s.name() + "'");
        }
        Set<String> unread = options.unread();
        if (!unread.isEmpty()) {
            throw new ConfigException(where, "unknown restart option" + (unread.size() > 1 ? "s " : " ")
                    + "'" + String.join("', '", unread) + "' for policy '" + name + "' of service '" + s.name() + "'");
        }
        return policy;
    }
}

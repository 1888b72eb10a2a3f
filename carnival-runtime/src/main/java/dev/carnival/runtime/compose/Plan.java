package dev.carnival.runtime.compose;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.runtime.config.BoundConfig;
import dev.carnival.runtime.config.ConfigBinder;
import dev.carnival.runtime.config.Problems;
import dev.carnival.runtime.depend.DependencyGraph;
import dev.carnival.runtime.probe.ServiceProbes;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.process.Accounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a config asks for, checked at load time and ready to run: the config, each service's
 * restart policy and probes (and its user, checked by {@link ProcessSetup#check}), the dependency graph,
 * and the preflight checks (which know where
 * each command was configured). The one load step shared by {@code carnival}, {@code carnival
 * check} and embedders.
 *
 * @param policies every service's restart policy, by service name
 * @param probes   the probes of every service that has any, by service name
 * @param graph    the services' dependencies, checked
 */
public record Plan(CarnivalConfig config, Map<String, RestartPolicy> policies, Preflight preflight,
                   Map<String, ServiceProbes> probes, DependencyGraph graph) {
    public Plan {
        policies = Map.copyOf(policies);
        probes = Map.copyOf(probes);
    }

    /** A plan without probes; its dependencies must be valid (tests, code-built configs). */
    public Plan(CarnivalConfig config, Map<String, RestartPolicy> policies, Preflight preflight) {
        this(config, policies, preflight, Map.of(), DependencyGraph.unchecked(config));
    }

    /** Resolves every service's restart policy; every problem is reported at once. */
    public static Plan load(BoundConfig bound, Map<String, Plugin<RestartPolicyProvider>> providers)
            throws ConfigException {
        return load(bound, providers, Map.of());
    }

    /** Resolves every service's restart policy and probes and checks its dependencies; every problem at once. */
    public static Plan load(BoundConfig bound, Map<String, Plugin<RestartPolicyProvider>> providers,
                            Map<String, Plugin<ProbeProvider>> probeProviders) throws ConfigException {
        return load(new ConfigBinder.Attempt(bound, List.of()), providers, probeProviders);
    }

    /**
     * As {@link #load(BoundConfig, Map, Map)} for a config bound as far as it goes: what did bind
     * is resolved and checked too, and its problems are reported with the binding's, in document order.
     */
    public static Plan load(ConfigBinder.Attempt bound, Map<String, Plugin<RestartPolicyProvider>> providers,
                            Map<String, Plugin<ProbeProvider>> probeProviders) throws ConfigException {
        List<ConfigException> problems = new ArrayList<>();
        Resolved r = resolve(bound, providers, probeProviders, problems);
        throwAll(problems);
        BoundConfig b = bound.bound();
        return new Plan(b.config(), r.policies(), Preflight.of(b.config(), b.sources()), r.probes(), r.graph());
    }

    private record Resolved(Map<String, RestartPolicy> policies, Map<String, ServiceProbes> probes, DependencyGraph graph) {}

    /**
     * Policies, probes and the graph; their problems and the binding's go to {@code problems},
     * fresh copies in document order.
     */
    private static Resolved resolve(ConfigBinder.Attempt attempt, Map<String, Plugin<RestartPolicyProvider>> providers,
                                    Map<String, Plugin<ProbeProvider>> probeProviders, List<ConfigException> problems) {
        BoundConfig bound = attempt.bound();
        Problems found = new Problems();
        attempt.problems().forEach(found::add);
        Map<String, RestartPolicy> policies = found.attempt(
                () -> PluginResolver.policies(bound.config(), bound.sources(), providers), Map.of());
        Map<String, ServiceProbes> probes = found.attempt(
                () -> PluginResolver.probes(bound.config(), bound.sources(), probeProviders), Map.of());
        DependencyGraph graph = found.attempt(() -> DependencyGraph.of(bound.config(), bound.sources()), null);
        found.attempt(() -> {
            ProcessSetup.check(bound.config(), bound.sources(), Accounts.system());
            return null;
        }, null);
        // Fresh copies: the first one of each throw carries the others as suppressed exceptions.
        found.all().forEach(p -> problems.add(new ConfigException(p.location(), p.problem())));
        return new Resolved(policies, probes, graph);
    }

    private static void throwAll(List<ConfigException> problems) throws ConfigException {
        if (!problems.isEmpty()) {
            ConfigException first = problems.getFirst();
            problems.subList(1, problems.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /**
     * What {@code carnival check} reports: the plan and the preflight findings that may still be
     * fixed by an init command. Policy problems and certain preflight problems are thrown
     * together, so one run shows everything to fix.
     */
    public static Checked check(BoundConfig bound, Map<String, Plugin<RestartPolicyProvider>> providers,
                                Map<String, Plugin<ProbeProvider>> probeProviders, Map<String, String> environment)
            throws ConfigException {
        return check(new ConfigBinder.Attempt(bound, List.of()), providers, probeProviders, environment);
    }

    /**
     * As {@link #check(BoundConfig, Map, Map, Map)} for a config bound as far as it goes (see
     * {@link #load(ConfigBinder.Attempt, Map, Map)}).
     */
    public static Checked check(ConfigBinder.Attempt attempt, Map<String, Plugin<RestartPolicyProvider>> providers,
                                Map<String, Plugin<ProbeProvider>> probeProviders, Map<String, String> environment)
            throws ConfigException {
        // Binding, policy, probe and dependency problems in document order, then preflight's in the order it checks.
        BoundConfig bound = attempt.bound();
        List<ConfigException> problems = new ArrayList<>();
        Resolved r = resolve(attempt, providers, probeProviders, problems);
        Preflight preflight = Preflight.of(bound.config(), bound.sources());
        // Preflight looks at the commands, files and directories a config names: once a key has
        // failed to bind, its default (a command of "?") would only add problems that are not there.
        List<Preflight.Finding> findings = attempt.problems().isEmpty()
                ? preflight.beforeStart(environment) : List.of();
        findings.stream().filter(Preflight.Finding::certain).forEach(f -> problems.add(f.problem()));
        throwAll(problems);
        return new Checked(new Plan(bound.config(), r.policies(), preflight, r.probes(), r.graph()),
                findings.stream().filter(f -> !f.certain()).toList());
    }

    /** A checked plan and its uncertain findings (warnings). */
    public record Checked(Plan plan, List<Preflight.Finding> warnings) {}
}

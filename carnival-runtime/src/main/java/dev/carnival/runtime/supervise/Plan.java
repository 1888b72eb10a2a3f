package dev.carnival.runtime.supervise;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.runtime.config.BoundConfig;
import dev.carnival.runtime.config.Problems;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.process.Accounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a config asks for, checked at load time and ready to run: the config, each service's
 * restart policy (and its user, checked by {@link ProcessSetup#check}), and the preflight checks (which know where each command was configured). The
 * one load step shared by {@code carnival}, {@code carnival check} and embedders.
 *
 * @param policies every service's restart policy, by service name
 */
public record Plan(CarnivalConfig config, Map<String, RestartPolicy> policies, Preflight preflight) {
    public Plan {
        policies = Map.copyOf(policies);
    }

    /** Resolves every service's restart policy; every problem is reported at once. */
    public static Plan load(BoundConfig bound, Map<String, Plugin<RestartPolicyProvider>> providers)
            throws ConfigException {
        ProcessSetup.check(bound.config(), bound.sources(), Accounts.system());
        return new Plan(bound.config(), PolicyResolver.resolve(bound.config(), bound.sources(), providers),
                Preflight.of(bound.config(), bound.sources()));
    }

    /**
     * What {@code carnival check} reports: the plan and the preflight findings that may still be
     * fixed by an init command. Policy problems and certain preflight problems are thrown
     * together, so one run shows everything to fix.
     */
    public static Checked check(BoundConfig bound, Map<String, Plugin<RestartPolicyProvider>> providers,
                                Map<String, String> environment) throws ConfigException {
        // Policy problems in document order, then preflight's in the order it checks: per command.
        List<ConfigException> problems = new ArrayList<>();
        Map<String, RestartPolicy> policies = Map.of();
        try {
            policies = PolicyResolver.resolve(bound.config(), bound.sources(), providers);
        } catch (ConfigException e) {
            // Fresh copies: the first one already carries the others as suppressed exceptions.
            Problems.of(e).forEach(p -> problems.add(new ConfigException(p.location(), p.problem())));
        }
        try {
            ProcessSetup.check(bound.config(), bound.sources(), Accounts.system());
        } catch (ConfigException e) {
            Problems.of(e).forEach(p -> problems.add(new ConfigException(p.location(), p.problem())));
        }
        Preflight preflight = Preflight.of(bound.config(), bound.sources());
        List<Preflight.Finding> findings = preflight.beforeStart(environment);
        findings.stream().filter(Preflight.Finding::certain).forEach(f -> problems.add(f.problem()));
        if (!problems.isEmpty()) {
            ConfigException first = problems.getFirst();
            problems.subList(1, problems.size()).forEach(first::addSuppressed);
            throw first;
        }
        return new Checked(new Plan(bound.config(), policies, preflight),
                findings.stream().filter(f -> !f.certain()).toList());
    }

    /** A checked plan and its uncertain findings (warnings). */
    public record Checked(Plan plan, List<Preflight.Finding> warnings) {}
}

package dev.carnival.runtime.compose;

import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.output.OutputListener;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.process.Accounts;
import dev.carnival.runtime.process.ForService;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.SpawnRequest;
import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.probe.ProbeProvider;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.runtime.config.BoundConfig;
import dev.carnival.runtime.config.Problems;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.supervise.CarnivalSupervisor;
import dev.carnival.runtime.supervise.ConfigResolver;
import dev.carnival.runtime.supervise.DelayScheduler;
import dev.carnival.runtime.supervise.Wiring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The one way to build a supervisor, for the {@code carnival} command, embedders and tests alike:
 * a {@link Plan}, a process control and listeners in, a supervisor out. The supervisor owns what it
 * is given: it closes the process control when it is done.
 */
public final class Assembly {
    private static final Accounts ACCOUNTS = Accounts.system();

    private final Plan plan;
    private final ProcessControl control;
    private List<Plugin<LifecycleListener>> listeners = List.of();
    private List<OutputListener> outputListeners = List.of();
    private Map<String, String> environment = System.getenv();
    private DelayScheduler timer;
    private Executor executor;
    private Map<String, Plugin<RestartPolicyProvider>> policies;
    private Map<String, Plugin<ProbeProvider>> probes = Map.of();

    private Assembly(Plan plan, ProcessControl control) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.control = Objects.requireNonNull(control, "control");
    }

    /** Starts an assembly of {@code plan}'s supervisor, running processes with {@code control}. */
    public static Assembly of(Plan plan, ProcessControl control) {
        return new Assembly(plan, control);
    }

    /** The listeners that receive every event (the logging plugin among them, where it is found). */
    public Assembly listeners(List<Plugin<LifecycleListener>> listeners) {
        this.listeners = List.copyOf(listeners);
        return this;
    }

    /** The embedders' listeners of captured output lines. */
    public Assembly outputListeners(List<OutputListener> listeners) {
        this.outputListeners = List.copyOf(listeners);
        return this;
    }

    /** The environment every process starts from (default: this JVM's). */
    public Assembly environment(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        return this;
    }

    /**
     * The plugins a reload resolves a new config's restart policies and probes with; without them
     * the supervisor cannot take a new config.
     */
    public Assembly plugins(Map<String, Plugin<RestartPolicyProvider>> policies, Map<String, Plugin<ProbeProvider>> probes) {
        this.policies = Map.copyOf(policies);
        this.probes = Map.copyOf(probes);
        return this;
    }

    /**
     * For deterministic tests: delays on {@code timer}, mailboxes and plugin calls on
     * {@code executor} (e.g. the calling thread), instead of the shared timer and virtual threads.
     */
    public Assembly clock(DelayScheduler timer, Executor executor) {
        this.timer = timer;
        this.executor = executor;
        return this;
    }

    public CarnivalSupervisor build() {
        // One Environment for all: replicas derive theirs from it, sharing its entries and their
        // encoding for execve (made once, not once per replica).
        GlobalConfig global = plan.config().global();
        Environment base = ProcessSetup.base(environment, global);
        Wiring wiring = Wiring.of(plan.config(), control, base).listeners(listeners).outputListeners(outputListeners)
                .checks(plan.preflight())
                .orchestration(plan.graph(), plan.probes())
                .init(init -> {
                    ProcessSetup setup = ProcessSetup.checked(() -> ProcessSetup.of(base, global, init, ACCOUNTS));
                    return new SpawnRequest(init.commandLine(), setup.environment(), init.workingDir(), null, null,
                            setup.credentials());
                });
        if (timer != null || executor != null) {
            wiring.clock(timer, executor);
        }
        for (ServiceConfig s : plan.config().services()) {
            ProcessSetup setup = ProcessSetup.checked(() -> ProcessSetup.of(base, global, s, ACCOUNTS));
            wiring.service(s, plan.policies().get(s.name()), ForService.of(control, setup.credentials(), s.oomScoreAdj()),
                    setup.environment());
        }
        if (policies != null) {
            wiring.resolver(this::resolve);
        }
        return wiring.build();
    }

    /** A reload's config, resolved as at start: every problem, one per line, in the exception. */
    private ConfigResolver.Resolved resolve(CarnivalConfig next) {
        Plan p;
        try {
            p = Plan.load(new BoundConfig(next, new SourceMap("reloaded config", Map.of())), policies, probes);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(String.join("\n", Problems.of(e).stream()
                    .map(ConfigException::getMessage).toList()));
        }
        GlobalConfig global = next.global();
        Environment base = ProcessSetup.base(environment, global);
        List<ConfigResolver.Service> services = new ArrayList<>();
        for (ServiceConfig s : next.services()) {
            ProcessSetup setup = ProcessSetup.checked(() -> ProcessSetup.of(base, global, s, ACCOUNTS));
            services.add(new ConfigResolver.Service(s, p.policies().get(s.name()),
                    ForService.of(control, setup.credentials(), s.oomScoreAdj()), setup.environment()));
        }
        return new ConfigResolver.Resolved(services, p.graph(), p.probes());
    }
}

package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.output.OutputListener;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.runtime.depend.DependencyGraph;
import dev.carnival.runtime.depend.Orchestration;
import dev.carnival.runtime.logs.CapturedOutput;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.probe.ServiceProbes;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.SpawnRequest;
import java.time.Clock;
import dev.carnival.runtime.resources.ProcScan;
import dev.carnival.runtime.resources.ResourceMonitor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * The engine's side of building a supervisor: its parts, already resolved from a config by the
 * composition root ({@code dev.carnival.runtime.compose.Assembly}), wired into replicas, the
 * event dispatcher, the timer and the orchestration. Knows nothing of config files or sources.
 */
public final class Wiring {
    /** What the supervisor checks before it starts anything, each problem one line with its location. */
    public interface Checks {
        /** One line for each process that runs as another user, for process control that cannot switch users. */
        List<String> users();

        /** Problems with the services' commands and directories, once the init commands have run. */
        List<String> services(Map<String, String> environment);
    }

    private final CarnivalConfig config;
    private final ProcessControl control;
    private final Environment environment;
    private final List<ConfigResolver.Service> services = new ArrayList<>();
    private List<Plugin<LifecycleListener>> listeners = List.of();
    private List<OutputListener> outputListeners = List.of();
    private Checks checks = new Checks() {
        @Override
        public List<String> users() {
            return List.of();
        }

        @Override
        public List<String> services(Map<String, String> environment) {
            return List.of();
        }
    };
    private Function<InitCommand, SpawnRequest> init;
    private DependencyGraph graph;
    private Map<String, ServiceProbes> probes = Map.of();
    private DelayScheduler timer;
    private Executor executor;
    private ConfigResolver resolver = ConfigResolver.NONE;

    private Wiring(CarnivalConfig config, ProcessControl control, Environment environment) {
        this.config = Objects.requireNonNull(config, "config");
        this.control = Objects.requireNonNull(control, "control");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** A supervisor of {@code config}'s processes, started with {@code control} from {@code environment}. */
    public static Wiring of(CarnivalConfig config, ProcessControl control, Environment environment) {
        return new Wiring(config, control, environment);
    }

    /** The listeners that receive every event. */
    public Wiring listeners(List<Plugin<LifecycleListener>> listeners) {
        this.listeners = List.copyOf(listeners);
        return this;
    }

    /** The embedders' listeners of captured output lines. */
    public Wiring outputListeners(List<OutputListener> listeners) {
        this.outputListeners = List.copyOf(listeners);
        return this;
    }

    /** The checks run before the init commands (users) and after them (services). */
    public Wiring checks(Checks checks) {
        this.checks = checks;
        return this;
    }

    /** How an init command's process is started (its environment and credentials). */
    public Wiring init(Function<InitCommand, SpawnRequest> init) {
        this.init = init;
        return this;
    }

    /** The services' dependencies and probes. */
    public Wiring orchestration(DependencyGraph graph, Map<String, ServiceProbes> probes) {
        this.graph = graph;
        this.probes = Map.copyOf(probes);
        return this;
    }

    /** How a reload's new config is resolved (plugins, environments, credentials). */
    public Wiring resolver(ConfigResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /** The next service, in config order: its policy, the process control for its user and its environment. */
    public Wiring service(ServiceConfig service, RestartPolicy policy, ProcessControl as, Environment env) {
        services.add(new ConfigResolver.Service(service, policy, as, env));
        return this;
    }

    /**
     * For deterministic tests: delays on {@code timer}, mailboxes and plugin calls on
     * {@code executor} (e.g. the calling thread), instead of the shared timer and virtual threads.
     */
    public Wiring clock(DelayScheduler timer, Executor executor) {
        this.timer = timer;
        this.executor = executor;
        return this;
    }

    /** The supervisor; it owns what it was given and closes the process control when it is done. */
    public CarnivalSupervisor build() {
        if (!config.init().isEmpty()) {
            Objects.requireNonNull(init, "init");
        }
        SharedTimer own = timer == null ? new SharedTimer() : null;
        DelayScheduler delays = timer == null ? own : timer;
        Executor run = executor;
        if (run == null) {
            ThreadFactory virtual = Thread.ofVirtual().name("carnival-replica").factory();
            run = task -> virtual.newThread(task).start();
        }
        Executor mailboxes = run;
        EventDispatcher dispatcher = new EventDispatcher(listeners);
        Orchestration orchestration = new Orchestration(config, graph == null ? DependencyGraph.unchecked(config) : graph,
                probes, control, dispatcher::publish, own == null ? null : own.executor());
        CapturedOutput output = new CapturedOutput(config, outputListeners);
        ReplicaMaker maker = new ReplicaMaker(dispatcher::publish, delays, mailboxes, orchestration, output,
                new Jobs(delays, Clock.systemUTC()));
        CarnivalSupervisor supervisor = new CarnivalSupervisor(config, checks, init, control, dispatcher, environment, owner -> {
            List<Replica> replicas = new ArrayList<>();
            for (ConfigResolver.Service s : services) {
                for (int i = 0; i < s.config().replicas(); i++) {
                    replicas.add(maker.make(s, i, s.config().replicas(), owner));
                }
            }
            return List.copyOf(replicas);
        }, own, orchestration, new Reloads(maker, resolver, services));
        boolean sampled = config.global().monitoring().sampling() && !config.services().isEmpty();
        supervisor.observe(output, sampled ? new ResourceMonitor(config, new ProcScan(Path.of("/proc"))) : null);
        return supervisor;
    }
}

package dev.carnival.runtime.supervise;

import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.output.StdStream;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.depend.Orchestration;
import dev.carnival.runtime.output.Console;
import dev.carnival.runtime.output.CapturedLines;
import dev.carnival.runtime.output.LineTap;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.process.Accounts;
import dev.carnival.runtime.process.AsUser;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.OutputSink;
import dev.carnival.runtime.process.ProcessControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

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
    private Map<String, String> environment = System.getenv();
    private DelayScheduler timer;
    private Executor executor;

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

    /** The environment every process starts from (default: this JVM's). */
    public Assembly environment(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        return this;
    }

    /**
     * For deterministic tests: delays on {@code timer}, mailboxes and plugin calls on
     * {@code executor} (e.g. the calling thread), instead of the shared timer and virtual threads.
     */
    Assembly clock(DelayScheduler timer, Executor executor) {
        this.timer = timer;
        this.executor = executor;
        return this;
    }

    public CarnivalSupervisor build() {
        SharedTimer own = timer == null ? new SharedTimer() : null;
        DelayScheduler delays = timer == null ? own : timer;
        Executor run = executor;
        if (run == null) {
            ThreadFactory virtual = Thread.ofVirtual().name("carnival-replica").factory();
            run = task -> virtual.newThread(task).start();
        }
        Executor mailboxes = run;
        EventDispatcher dispatcher = new EventDispatcher(listeners);
        Orchestration orchestration = new Orchestration(plan.config(), plan.graph(), plan.probes(), control,
                dispatcher::publish, own == null ? null : own.executor());
        // One Environment for all: replicas derive theirs from it, sharing its entries and their
        // encoding for execve (made once, not once per replica).
        GlobalConfig global = plan.config().global();
        Environment base = ProcessSetup.base(environment, global);
        boolean timestamps = global.outputTimestamps();
        return new CarnivalSupervisor(plan, control, dispatcher, base, (p, owner) -> {
            List<Replica> replicas = new ArrayList<>();
            for (ServiceConfig s : p.config().services()) {
                ProcessSetup setup = ProcessSetup.checked(() -> ProcessSetup.of(base, global, s, ACCOUNTS));
                ProcessControl as = AsUser.of(control, setup.credentials());
                Environment env = setup.environment().with("CARNIVAL_SERVICE_NAME", s.name())
                        .with("CARNIVAL_REPLICA_COUNT", Integer.toString(s.replicas()));
                for (int i = 0; i < s.replicas(); i++) {
                    ReplicaId id = new ReplicaId(s.name(), i);
                    boolean captured = s.output().captured();
                    OutputSink out = captured ? CapturedLines.of(s.output(), timestamps, Console.OUT, LineTap.NONE,
                            id, StdStream.STDOUT) : null;
                    OutputSink err = captured ? CapturedLines.of(s.output(), timestamps, Console.ERR, LineTap.NONE,
                            id, StdStream.STDERR) : null;
                    replicas.add(new Replica(id, s, p.policies().get(s.name()), as,
                            env.with("CARNIVAL_REPLICA_ID", Integer.toString(i)), out, err, dispatcher::publish,
                            delays, mailboxes, owner, orchestration.replica(id, s)));
                }
            }
            return List.copyOf(replicas);
        }, own, orchestration);
    }
}

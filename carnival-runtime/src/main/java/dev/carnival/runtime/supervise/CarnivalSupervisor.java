package dev.carnival.runtime.supervise;

import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.Supervisor;
import dev.carnival.api.SupervisorStatus;
import dev.carnival.api.SupervisorStatus.Phase;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleListener;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.config.ConfigException;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.depend.DependencyGraph;
import dev.carnival.runtime.depend.Orchestration;
import dev.carnival.runtime.probe.ServiceProbes;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.SpawnException;
import dev.carnival.runtime.process.SpawnRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor: init commands one after another, then every replica (each step of one on a
 * virtual thread, see {@link ReplicaRunner}), until all have finished or shutdown is requested. Exit codes: 0 when every service
 * finished or after a graceful shutdown, 1 when an init command failed or was interrupted, 2 when
 * a service cannot be started at all (command or working directory missing), and the status of a
 * critical service that stopped for good after a failure (its exit code, or 128+N for signal N).
 */
public final class CarnivalSupervisor implements Supervisor {
    /** Exit code: every service finished, or graceful shutdown. */
    public static final int EXIT_OK = 0;
    /** Exit code: an init command failed or was interrupted. */
    public static final int EXIT_INIT_FAILED = 1;
    /** Exit code: bad usage, configuration or plugin. */
    public static final int EXIT_CONFIG = 2;
    /** Exit code: a bug in Carnival itself, or in a critical service's restart policy (EX_SOFTWARE). */
    public static final int EXIT_INTERNAL = 70;

    private static final Logger LOG = LoggerFactory.getLogger("carnival");
    private static final Duration LISTENER_FLUSH = Duration.ofSeconds(2);
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private final CarnivalConfig config;
    private final SourceMap sources;
    private final ProcessControl control;
    private final boolean ownsControl;
    private final Environment environment;
    private final EventDispatcher dispatcher;
    private final Orchestration orchestration;
    private final ShutdownRequest shutdown = new ShutdownRequest();
    private final Object shutdownLock = new Object();
    private final List<ReplicaRunner> replicas = new ArrayList<>();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Phase phase = Phase.NEW;
    private volatile ChildProcess initProcess;
    /** Set when a critical service stopped for good after a failure: the supervisor exits with its status. */
    private final AtomicReference<Integer> criticalExit = new AtomicReference<>();

    /**
     * @param policies    the restart policy of each service, by service name
     * @param ownsControl close {@code control} when done
     */
    public CarnivalSupervisor(CarnivalConfig config, SourceMap sources, Map<String, RestartPolicy> policies,
                              ProcessControl control, boolean ownsControl,
                              List<Plugin<LifecycleListener>> listeners, Map<String, String> environment) {
        this(config, sources, policies, Map.of(), graph(config, sources), control, ownsControl, listeners, environment);
    }

    private static DependencyGraph graph(CarnivalConfig config, SourceMap sources) {
        try {
            return DependencyGraph.of(config, sources);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * @param probes each service's probes, by service name
     * @param graph  the services' dependencies, checked
     */
    public CarnivalSupervisor(CarnivalConfig config, SourceMap sources, Map<String, RestartPolicy> policies,
                              Map<String, ServiceProbes> probes, DependencyGraph graph, ProcessControl control,
                              boolean ownsControl, List<Plugin<LifecycleListener>> listeners,
                              Map<String, String> environment) {
        this.config = config;
        this.sources = sources;
        this.control = control;
        this.ownsControl = ownsControl;
        // One Environment for all: replicas derive theirs from it, sharing its entries and their
        // encoding for execve (made once, not once per replica).
        this.environment = Environment.of(environment);
        this.dispatcher = new EventDispatcher(listeners);
        this.orchestration = new Orchestration(config, graph, probes, control, dispatcher::publish);
        for (ServiceConfig s : config.services()) {
            // Reverse dependency order: a service's processes are stopped once its dependents' have exited.
            CompletableFuture<?> stopForShutdown = shutdown.future()
                    .thenCompose(cause -> orchestration.dependentsGone(s.name()));
            for (int i = 0; i < s.replicas(); i++) {
                ReplicaId id = new ReplicaId(s.name(), i);
                replicas.add(new ReplicaRunner(id, s, policies.get(s.name()), control,
                        this.environment, dispatcher::publish, shutdown, config.global().outputTimestamps(),
                        s.critical() ? this::criticalStopped : (r, reason) -> { }, orchestration.replica(id, s),
                        stopForShutdown));
            }
        }
    }

    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("supervisor already started");
        }
        Thread.ofPlatform().name("carnival-supervisor").start(() -> {
            int code;
            try {
                code = run();
            } catch (RuntimeException | Error e) {
                LOG.error("supervisor failed: {}", e.toString());
                LOG.debug("supervisor failure", e);
                shutdown.request("internal error");
                killEverything();
                code = EXIT_INTERNAL;
            }
            finish(code);
        });
    }

    /**
     * Asks for a graceful shutdown, saying why (e.g. "signal SIGTERM").
     *
     * @return true if this call started the shutdown, false if one was already under way
     */
    public boolean requestShutdown(String cause) {
        // Publish before flipping the switch: flipping it wakes the replicas and the supervisor
        // thread, which may otherwise finish (SupervisorStopped, dispatcher closed) first and
        // lose this event or deliver it after the last one.
        synchronized (shutdownLock) {
            if (shutdown.requested()) {
                return false;
            }
            dispatcher.publish(new LifecycleEvent.ShutdownRequested(Instant.now(), cause));
            shutdown.request(cause);
            return true;
        }
    }

    /** Skips what is left of the grace period: SIGKILL to every running process group now. */
    public void killNow(String why) {
        requestShutdown(why);
        LOG.warn("{}: skipping the rest of the grace period, sending SIGKILL", why);
        killEverything();
    }

    /** Sends {@code signal} to the process group of every running service replica. */
    public void forward(Signal signal) {
        int sent = 0;
        for (ReplicaRunner r : replicas) {
            Optional<ChildProcess> p = r.process();
            if (p.isPresent()) {
                p.get().signalGroup(signal);
                sent++;
            }
        }
        LOG.info("Forwarded {} to {} running process(es)", signal.signalName(), sent);
    }

    @Override
    public void stop() {
        requestShutdown("stop requested by the host program");
    }

    @Override
    public int await() throws InterruptedException {
        try {
            return exitCode.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public Optional<Integer> await(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(exitCode.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public CompletableFuture<Void> stop(String target) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<Void> start(String target) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<Void> restart(String target) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<Void> signal(String target, Signal signal) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public SupervisorStatus status() {
        List<ReplicaStatus> list = new ArrayList<>(replicas.size());
        for (ReplicaRunner r : replicas) {
            list.add(r.status());
        }
        return new SupervisorStatus(phase, list);
    }

    @Override
    public void close() throws InterruptedException {
        if (started.compareAndSet(false, true)) {
            // Never started: nothing runs, but the listener threads and process control do.
            shutdown.request("closed before start");
            finish(EXIT_OK);
            return;
        }
        stop();
        await();
    }

    private int run() {
        phase = Phase.INIT;
        for (int i = 0; i < config.init().size(); i++) {
            if (!runInit(i + 1, config.init().get(i))) {
                return EXIT_INIT_FAILED;
            }
        }
        List<String> problems = Preflight.services(config, sources, environment);
        if (!problems.isEmpty()) {
            problems.forEach(p -> LOG.error("{}", p));
            return EXIT_CONFIG;
        }
        if (replicas.isEmpty()) {
            LOG.warn("No services configured, exiting");
            return EXIT_OK;
        }
        phase = Phase.RUNNING;
        for (ReplicaRunner r : replicas) {
            r.start();
        }
        CompletableFuture<Void> allDone = CompletableFuture.allOf(
                replicas.stream().map(ReplicaRunner::done).toArray(CompletableFuture[]::new));
        CompletableFuture.anyOf(allDone, shutdown.future()).join();
        if (!allDone.isDone()) {
            phase = Phase.STOPPING;
            awaitShutdown(allDone);
        }
        Integer critical = criticalExit.get();
        return critical == null ? EXIT_OK : critical;
    }

    private void criticalStopped(ReplicaRunner r, LifecycleEvent.StopReason reason) {
        if (reason == LifecycleEvent.StopReason.SHUTDOWN) {
            return;
        }
        Optional<ExitStatus> last = r.status().lastExit();
        if (reason == LifecycleEvent.StopReason.POLICY_ERROR) {
            criticalExit.compareAndSet(null, EXIT_INTERNAL);
        } else if (reason == LifecycleEvent.StopReason.DEPENDENCY) {
            criticalExit.compareAndSet(null, r.link().dependencyFailure().map(f -> f.exitCode()).orElse(1));
        } else if (last.isPresent() && !last.get().success()) {
            // The first critical failure decides the exit code.
            criticalExit.compareAndSet(null, last.get().asExitCode());
        }
        requestShutdown("critical service " + r.id() + " stopped"
                + last.map(s -> " (" + s.describe() + ")").orElse(""));
    }

    private void awaitShutdown(CompletableFuture<Void> allDone) {
        Duration limit = config.global().shutdownTimeout();
        try {
            allDone.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Services still running after shutdown-timeout-ms ({}ms), sending SIGKILL", limit.toMillis());
            killEverything();
            try {
                allDone.get(AFTER_KILL.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException | InterruptedException again) {
                LOG.error("Some processes did not exit even after SIGKILL; exiting anyway");
            }
        } catch (ExecutionException | InterruptedException e) {
            killEverything();
        }
    }

    private void killEverything() {
        ChildProcess init = initProcess;
        if (init != null) {
            init.signalGroup(Signal.KILL);
        }
        for (ReplicaRunner r : replicas) {
            r.process().ifPresent(c -> c.signalGroup(Signal.KILL));
        }
    }

    private boolean runInit(int index, InitCommand init) {
        List<String> argv = init.commandLine();
        if (shutdown.requested()) {
            dispatcher.publish(new LifecycleEvent.InitFailed(Instant.now(), index, argv, "interrupted by shutdown"));
            return false;
        }
        dispatcher.publish(new LifecycleEvent.InitStarted(Instant.now(), index, argv));
        long t0 = System.nanoTime();
        ChildProcess child;
        try {
            child = control.spawn(new SpawnRequest(argv, environment, init.workingDir()));
        } catch (SpawnException e) {
            dispatcher.publish(new LifecycleEvent.InitFailed(Instant.now(), index, argv, e.getMessage()));
            return false;
        }
        initProcess = child;
        CompletableFuture<ExitStatus> exit = child.onExit();
        CompletableFuture.anyOf(exit, shutdown.future()).join();
        if (!exit.isDone()) {
            GracefulStop.stop(child, "init command " + index, Signal.TERM, config.global().shutdownTimeout());
            initProcess = null;
            dispatcher.publish(new LifecycleEvent.InitFailed(Instant.now(), index, argv, "interrupted by shutdown"));
            return false;
        }
        initProcess = null;
        ExitStatus status = exit.join();
        if (!status.success()) {
            dispatcher.publish(new LifecycleEvent.InitFailed(Instant.now(), index, argv, status.describe()));
            return false;
        }
        dispatcher.publish(new LifecycleEvent.InitFinished(Instant.now(), index, argv,
                Duration.ofNanos(System.nanoTime() - t0)));
        return true;
    }

    private void finish(int code) {
        phase = Phase.STOPPED;
        orchestration.close();
        dispatcher.publish(new LifecycleEvent.SupervisorStopped(Instant.now(), code));
        dispatcher.close(LISTENER_FLUSH);
        if (ownsControl) {
            control.close();
        }
        exitCode.complete(code);
    }
}

package dev.carnival.runtime.supervise;

import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.Supervisor;
import dev.carnival.api.SupervisorStatus;
import dev.carnival.api.SupervisorStatus.Phase;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.Signal;
import dev.carnival.runtime.supervise.Wiring.Checks;
import dev.carnival.runtime.depend.Orchestration;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.SpawnException;
import dev.carnival.runtime.process.SpawnRequest;
import dev.carnival.runtime.supervise.Message.Operator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The supervisor: init commands one after another (on its own thread), then every {@link Replica}
 * (each a state machine that holds no thread), until all have finished for good or shutdown is
 * requested. Made by {@link Wiring}. Exit codes: 0 when every service finished or after a
 * graceful shutdown, 1 when an init command failed or was interrupted, 2 when a service cannot be
 * started at all (command or working directory missing), 70 for an internal error or a critical
 * service's failed restart policy, and the status of a critical service that stopped for good after
 * a failure (its exit code, or 128+N for signal N). Each non-zero code follows an event saying why.
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

    private static final Duration LISTENER_FLUSH = Duration.ofSeconds(2);
    /** How long a process killed at the shutdown deadline gets to be reaped before we give up on it. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private final CarnivalConfig config;
    private final Checks preflight;
    private final Function<InitCommand, SpawnRequest> initRequest;
    private final ProcessControl control;
    private final SharedTimer ownTimer;
    private final Orchestration orchestration;
    private final Environment environment;
    private final EventDispatcher dispatcher;
    private final List<Replica> replicas;
    private final ShutdownRequest shutdown = new ShutdownRequest();
    private final Object shutdownLock = new Object();
    /** Completes once every replica is stopped (for good, or for the shutdown). */
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    /** The first critical failure decides the exit code. */
    private final AtomicReference<Integer> criticalExit = new AtomicReference<>();
    /** Each replica's Stopped state once replicaStopped has handled it. */
    private final Map<Replica, Life.Stopped> told = new ConcurrentHashMap<>();
    private volatile Phase phase = Phase.NEW;
    private volatile ChildProcess initProcess;
    /** System.nanoTime() of the shutdown request; the shutdown deadline counts from it. */
    private volatile long shutdownAt;
    private volatile boolean hastened;

    CarnivalSupervisor(CarnivalConfig config, Checks preflight, Function<InitCommand, SpawnRequest> initRequest,
                       ProcessControl control, EventDispatcher dispatcher, Environment environment,
                       ReplicaFactory replicaFactory, SharedTimer ownTimer, Orchestration orchestration) {
        this.config = config;
        this.orchestration = orchestration;
        this.preflight = preflight;
        this.initRequest = initRequest;
        this.control = control;
        this.dispatcher = dispatcher;
        this.environment = environment;
        this.ownTimer = ownTimer;
        this.replicas = replicaFactory.make(this::replicaStopped);
    }

    /** Makes the replicas, once the supervisor exists to own them. */
    @FunctionalInterface
    interface ReplicaFactory {
        List<Replica> make(Replica.Owner owner);
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
                dispatcher.publish(new LifecycleEvent.InternalError(Instant.now(), "supervisor failed: " + e));
                requestShutdown("internal error");
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
        synchronized (shutdownLock) {
            if (shutdown.requested()) {
                return false;
            }
            // Published first: the switch wakes the supervisor thread, which could otherwise publish
            // its last event before this one.
            dispatcher.publish(new LifecycleEvent.ShutdownRequested(Instant.now(), cause));
            shutdownAt = System.nanoTime();
            shutdown.request(cause);
        }
        // Nothing starts any more; then, in reverse dependency order, each replica stops once every
        // replica depending on its service has.
        for (Replica r : replicas) {
            r.post(new Message.ShutdownRequested());
            orchestration.dependentsGone(r.service().name()).whenComplete((x, e) -> r.post(new Message.Shutdown()));
        }
        return true;
    }

    /** Skips what is left of the grace period: SIGKILL to every running process group now. */
    public void killNow(String why) {
        requestShutdown(why);
        hastened = true;
        dispatcher.publish(new LifecycleEvent.ShutdownHastened(Instant.now(), why));
        killEverything();
    }

    /** Sends {@code signal}, received by the supervisor, to the process group of every running replica. */
    public void forward(Signal signal) {
        List<CompletableFuture<Boolean>> sent = replicas.stream().map(r -> r.signal(signal)).toList();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).thenRun(() -> dispatcher.publish(
                new LifecycleEvent.SignalForwarded(Instant.now(), signal,
                        (int) sent.stream().filter(CompletableFuture::join).count())));
    }

    @Override
    public void stop() {
        requestShutdown("stop requested by the host program");
    }

    @Override
    public CompletableFuture<Void> stop(String target) {
        return operate(Operator.Op.STOP, target, "api");
    }

    @Override
    public CompletableFuture<Void> start(String target) {
        return operate(Operator.Op.START, target, "api");
    }

    @Override
    public CompletableFuture<Void> restart(String target) {
        return operate(Operator.Op.RESTART, target, "api");
    }

    @Override
    public CompletableFuture<Void> signal(String target, Signal signal) {
        return signal(target, signal, "api");
    }

    /** {@link #stop(String)} asked for by {@code origin} ({@code socket}): the control socket's seam. */
    public CompletableFuture<Void> stop(String target, String origin) {
        return operate(Operator.Op.STOP, target, origin);
    }

    /** {@link #start(String)} asked for by {@code origin}. */
    public CompletableFuture<Void> start(String target, String origin) {
        return operate(Operator.Op.START, target, origin);
    }

    /** {@link #restart(String)} asked for by {@code origin}. */
    public CompletableFuture<Void> restart(String target, String origin) {
        return operate(Operator.Op.RESTART, target, origin);
    }

    /**
     * An operator's stop, start or restart of {@code target} (a service, or {@code NAME/INDEX}),
     * asked for by {@code origin} ({@code api}, {@code socket}).
     *
     * @throws IllegalArgumentException naming the target when there is no such service or replica
     */
    public CompletableFuture<Void> operate(Operator.Op op, String target, String origin) {
        List<Replica> chosen = resolve(target);
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        if (op != Operator.Op.STOP && shutdown.requested()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the supervisor is shutting down"));
        }
        dispatcher.publish(new LifecycleEvent.OperatorRequest(Instant.now(), name, target, origin));
        List<CompletableFuture<Void>> all = new ArrayList<>(chosen.size());
        for (Replica r : chosen) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            all.add(done);
            r.post(new Operator(op, origin, done));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Sends {@code signal} to each running replica of {@code target}, asked for by {@code origin}. */
    public CompletableFuture<Void> signal(String target, Signal signal, String origin) {
        List<Replica> chosen = resolve(target);
        dispatcher.publish(new LifecycleEvent.OperatorRequest(Instant.now(), "signal " + signal.signalName(), target,
                origin));
        return CompletableFuture.allOf(chosen.stream().map(r -> r.signal(signal)).toArray(CompletableFuture[]::new));
    }

    /** The replicas a target names: every replica of a service, or {@code NAME/INDEX}. */
    private List<Replica> resolve(String target) {
        List<Replica> ofService = replicas.stream().filter(r -> r.id().service().equals(target)).toList();
        if (!ofService.isEmpty() || config.services().stream().anyMatch(s -> s.name().equals(target))) {
            return ofService;
        }
        int slash = target.lastIndexOf('/');
        if (slash > 0) {
            String service = target.substring(0, slash);
            String index = target.substring(slash + 1);
            List<Replica> of = replicas.stream().filter(r -> r.id().service().equals(service)).toList();
            if (!of.isEmpty() && !index.isEmpty() && index.chars().allMatch(Character::isDigit) && index.length() < 10) {
                int i = Integer.parseInt(index);
                if (i < of.size()) {
                    return List.of(of.get(i));
                }
                throw new IllegalArgumentException("unknown replica '" + target + "' (service '" + service + "' has "
                        + of.size() + " replica" + (of.size() == 1 ? "" : "s") + ")");
            }
        }
        throw new IllegalArgumentException("unknown service '" + target + "'");
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
    public SupervisorStatus status() {
        List<ReplicaStatus> list = new ArrayList<>(replicas.size());
        for (Replica r : replicas) {
            list.add(r.status());
        }
        return new SupervisorStatus(phase, list);
    }

    @Override
    public void close() throws InterruptedException {
        if (started.compareAndSet(false, true)) {
            // Never started: nothing runs, but the listener threads, timer and process control do.
            shutdown.request("closed before start");
            finish(EXIT_OK);
            return;
        }
        stop();
        await();
    }

    private int run() {
        dispatcher.publish(new LifecycleEvent.SupervisorStarted(Instant.now(), control.description()));
        List<String> users = control.runsAsOtherUsers() ? List.of() : preflight.users();
        if (!users.isEmpty()) {
            dispatcher.publish(new LifecycleEvent.PreflightFailed(Instant.now(), users));
            return EXIT_CONFIG;
        }
        phase = Phase.INIT;
        for (int i = 0; i < config.init().size(); i++) {
            if (!runInit(i + 1, config.init().get(i))) {
                return EXIT_INIT_FAILED;
            }
        }
        List<String> problems = preflight.services(environment);
        if (!problems.isEmpty()) {
            dispatcher.publish(new LifecycleEvent.PreflightFailed(Instant.now(), problems));
            return EXIT_CONFIG;
        }
        if (replicas.isEmpty()) {
            dispatcher.publish(new LifecycleEvent.NoServices(Instant.now()));
            return EXIT_OK;
        }
        phase = Phase.RUNNING;
        for (Replica r : replicas) {
            r.post(new Message.Begin());
        }
        CompletableFuture.anyOf(settled, shutdown.future()).join();
        if (!settled.isDone()) {
            phase = Phase.STOPPING;
            awaitShutdown();
        }
        Integer critical = criticalExit.get();
        return critical == null ? EXIT_OK : critical;
    }

    /** On the replica's mailbox, after it entered {@code stopped}. */
    private void replicaStopped(Replica r, Life.Stopped stopped) {
        StopReason reason = stopped.reason();
        if (r.service().critical() && reason != StopReason.SHUTDOWN && reason != StopReason.OPERATOR) {
            ExitStatus last = stopped.history().lastExit();
            if (reason == StopReason.POLICY_ERROR || reason == StopReason.INTERNAL_ERROR) {
                criticalExit.compareAndSet(null, EXIT_INTERNAL);
            } else if (reason == StopReason.DEPENDENCY) {
                criticalExit.compareAndSet(null, r.link().dependencyFailure().map(f -> f.exitCode()).orElse(1));
            } else if (last != null && !r.service().succeeded(last)) {
                criticalExit.compareAndSet(null, last.asExitCode());
            }
            requestShutdown("critical service " + r.id() + " stopped" + (last == null ? "" : " (" + last.describe() + ")"));
        }
        told.put(r, stopped);
        settle();
    }

    /**
     * Done when every replica is stopped: for good, or for the shutdown. A service an operator
     * stopped keeps the supervisor running, so it can be started again.
     */
    private void settle() {
        boolean shuttingDown = shutdown.requested();
        for (Replica r : replicas) {
            // Its state is Stopped before its replicaStopped has run (and set a critical exit code):
            // another replica's settle must not finish the supervisor in between.
            if (!(r.state() instanceof Life.Stopped s) || !s.sameStop(told.get(r))
                    || (s.reason() == StopReason.OPERATOR && !shuttingDown)) {
                return;
            }
        }
        settled.complete(null);
    }

    private void awaitShutdown() {
        settle(); // operator-stopped replicas no longer hold the supervisor
        Duration limit = config.global().shutdownTimeout();
        if (awaitSettled(limit)) {
            return;
        }
        List<String> running = new ArrayList<>();
        List<String> killed = new ArrayList<>();
        for (Replica r : replicas) {
            if (!(r.state() instanceof Life.Stopped)) {
                if (r.kill()) {
                    killed.add(r.id().toString());
                    running.add(r.id().toString());
                } else {
                    running.add(r.id() + " (" + r.status().state().id() + ", plugin code has not returned)");
                }
            }
        }
        dispatcher.publish(new LifecycleEvent.ShutdownTimedOut(Instant.now(), limit, running));
        if (killed.isEmpty() || awaitKilled(AFTER_KILL)) {
            return;
        }
        List<String> remaining = new ArrayList<>();
        for (Replica r : replicas) {
            if (r.liveProcess().isPresent()) {
                remaining.add(r.id().toString());
            }
        }
        if (!remaining.isEmpty()) {
            dispatcher.publish(new LifecycleEvent.ShutdownIncomplete(Instant.now(), remaining));
        }
    }

    private boolean awaitSettled(Duration limit) {
        try {
            settled.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException | InterruptedException e) {
            return false;
        }
    }

    /** Waits until no replica has a live process (a stuck plugin does not count: it holds none). */
    private boolean awaitKilled(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (replicas.stream().anyMatch(r -> r.liveProcess().isPresent())) {
            if (System.nanoTime() - deadline >= 0 || awaitSettled(Duration.ofMillis(20))) {
                return replicas.stream().noneMatch(r -> r.liveProcess().isPresent());
            }
        }
        return true;
    }

    private void killEverything() {
        ChildProcess init = initProcess;
        if (init != null) {
            init.signalGroup(Signal.KILL);
        }
        for (Replica r : replicas) {
            r.kill();
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
            child = control.spawn(initRequest.apply(init));
        } catch (SpawnException e) {
            dispatcher.publish(new LifecycleEvent.InitFailed(Instant.now(), index, argv, e.getMessage()));
            return false;
        }
        initProcess = child;
        CompletableFuture<ExitStatus> exit = child.onExit();
        CompletableFuture.anyOf(exit, shutdown.future()).join();
        if (!exit.isDone()) {
            GracefulStop.stop(child, "init command " + index, Signal.TERM, config.global().shutdownTimeout(),
                    dispatcher::publish);
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
        stopLeftovers();
        dispatcher.publish(new LifecycleEvent.SupervisorStopped(Instant.now(), code));
        dispatcher.close(LISTENER_FLUSH);
        if (ownTimer != null) {
            ownTimer.close();
        }
        control.close();
        exitCode.complete(code);
    }

    /**
     * Nothing this supervisor started outlives it: daemons left in the group of a service that
     * exited and, as PID 1 or child subreaper, every descendant, within what is left of
     * shutdown-timeout-ms (all of it when no shutdown was requested: this is the shutdown then).
     */
    private void stopLeftovers() {
        long timeout = config.global().shutdownTimeout().toNanos();
        long at = shutdownAt;
        long left = at == 0 ? timeout : timeout - (System.nanoTime() - at);
        Duration grace = Duration.ofNanos(hastened ? 0 : Math.max(0, left));
        int stopped = control.stopDescendants(grace);
        if (stopped > 0) {
            dispatcher.publish(new LifecycleEvent.LeftoversStopped(Instant.now(), stopped));
        }
    }
}

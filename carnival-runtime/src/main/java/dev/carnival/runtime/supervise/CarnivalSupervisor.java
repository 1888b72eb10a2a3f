package dev.carnival.runtime.supervise;

import dev.carnival.api.Operation;
import dev.carnival.api.Supervisor;
import dev.carnival.api.SupervisorStatus;
import dev.carnival.api.SupervisorStatus.Phase;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.Signal;
import dev.carnival.api.reload.ReloadPlan;
import dev.carnival.api.reload.ReloadResult;
import dev.carnival.api.reload.ServiceOutcome;
import dev.carnival.runtime.depend.Orchestration;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.SpawnRequest;
import dev.carnival.runtime.supervise.Message.Operator;
import dev.carnival.runtime.supervise.Wiring.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The supervisor: init commands one after another (on its own thread, {@link InitRunner}), then
 * every {@link Replica} (each a state machine that holds no thread), until all have finished for
 * good or shutdown is requested. Made by {@link Wiring}; its exit code is {@link ExitPolicy}'s.
 */
public final class CarnivalSupervisor implements Supervisor {
    private static final Duration LISTENER_FLUSH = Duration.ofSeconds(2);

    /** Replaced by a reload or a scale (see {@link Reloads}). */
    private volatile CarnivalConfig config;
    private final Checks preflight;
    private final ProcessControl control;
    private final SharedTimer ownTimer;
    private final Orchestration orchestration;
    private final Environment environment;
    private final EventDispatcher dispatcher;
    private final ReplicaSet replicas;
    private final Reloads reloads;
    private final InitRunner init;
    private final ExitPolicy exits = new ExitPolicy();
    private final ShutdownRequest shutdown = new ShutdownRequest();
    /** A shutdown asked for while services run with a drain: its cause. */
    private final CompletableFuture<String> drainAsked = new CompletableFuture<>();
    /** A second shutdown signal during the drain: its cause. */
    private final CompletableFuture<String> drainCut = new CompletableFuture<>();
    private final Object shutdownLock = new Object();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Phase phase = Phase.NEW;

    CarnivalSupervisor(CarnivalConfig config, Checks preflight, Function<InitCommand, SpawnRequest> initRequests,
                       ProcessControl control,
                       EventDispatcher dispatcher, Environment environment, ReplicaFactory replicaFactory,
                       SharedTimer ownTimer, Orchestration orchestration, Reloads reloads) {
        this.config = config;
        this.preflight = preflight;
        this.control = control;
        this.dispatcher = dispatcher;
        this.environment = environment;
        this.ownTimer = ownTimer;
        this.orchestration = orchestration;
        this.init = new InitRunner(config.init(), initRequests, control, shutdown, config.global().shutdownTimeout(),
                dispatcher::publish);
        this.replicas = new ReplicaSet(shutdown, exits, this::requestShutdown, replicaFactory);
        this.reloads = reloads;
        reloads.attach(new Membership());
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
                code = ExitPolicy.INTERNAL;
            }
            finish(code);
        });
    }

    /**
     * Asks for a graceful shutdown, saying why (e.g. "signal SIGTERM"). With {@code [global]
     * drain-ms} and services running, the phase is {@code draining} for that long first (readiness
     * fails, nothing is stopped); see {@link #endDrain}.
     *
     * @return true if this call started the shutdown, false if one was already under way
     */
    public boolean requestShutdown(String cause) {
        synchronized (shutdownLock) {
            if (shutdown.requested() || drainAsked.isDone()) {
                return false;
            }
            // Published first: the switch wakes the supervisor thread, which could otherwise publish
            // its last event before this one.
            dispatcher.publish(new LifecycleEvent.ShutdownRequested(Instant.now(), cause));
            if (phase == Phase.RUNNING && !config.global().drain().isZero()) {
                phase = Phase.DRAINING; // /readyz answers 503 from now on; the supervisor thread waits it out
                drainAsked.complete(cause);
                return true;
            }
            shutdown.request(cause);
        }
        stopServices();
        return true;
    }

    /**
     * Ends a drain now (a second SIGTERM): services are told to stop at once.
     *
     * @return true if a drain was under way and this call ended it
     */
    public boolean endDrain(String cause) {
        return drainAsked.isDone() && !shutdown.requested() && drainCut.complete(cause);
    }

    /**
     * Nothing starts any more; then, in reverse dependency order, each replica stops once every
     * replica depending on its service has.
     */
    private void stopServices() {
        replicas.shutdown(orchestration);
    }

    /**
     * The drain, on the supervisor thread: {@code drain-ms} of phase {@code draining}, cut short by
     * {@link #endDrain} or by every service finishing; then the shutdown proper, whose deadline
     * counts from here.
     */
    private void drain(String cause, CompletableFuture<Void> settled) {
        Duration drain = config.global().drain();
        dispatcher.publish(new LifecycleEvent.Draining(Instant.now(), drain));
        try {
            CompletableFuture.anyOf(drainCut, settled).get(drain.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException over) {
            // the drain's time is over
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drainCut.isDone()) {
            dispatcher.publish(new LifecycleEvent.DrainCut(Instant.now(), drainCut.join()));
        }
        synchronized (shutdownLock) {
            shutdown.request(cause);
        }
        stopServices();
    }

    /** Skips what is left of the grace period: SIGKILL to every running process group now. */
    public void killNow(String why) {
        requestShutdown(why);
        shutdown.hasten();
        dispatcher.publish(new LifecycleEvent.ShutdownHastened(Instant.now(), why));
        killEverything();
    }

    /** Sends {@code signal}, received by the supervisor, to the process group of every running replica. */
    public void forward(Signal signal) {
        replicas.forward(signal).thenAccept(sent -> dispatcher.publish(
                new LifecycleEvent.SignalForwarded(Instant.now(), signal, sent)));
    }

    @Override
    public void stop() {
        requestShutdown("stop requested by the host program");
    }

    @Override
    public CompletableFuture<Void> perform(Operation operation) {
        return reloads.afterCurrent(() -> performNow(operation));
    }

    private CompletableFuture<Void> performNow(Operation operation) {
        List<Replica> chosen = replicas.resolve(operation.target(), config);
        if (shutdown.requested() && !(operation instanceof Operation.Stop || operation instanceof Operation.SendSignal)) {
            return CompletableFuture.failedFuture(new IllegalStateException("the supervisor is shutting down"));
        }
        String origin = operation.origin().id();
        dispatcher.publish(new LifecycleEvent.OperatorRequest(Instant.now(), operation.describe(), operation.target(),
                origin));
        return switch (operation) {
            case Operation.Stop o -> ReplicaSet.operate(chosen, Operator.Op.STOP, origin);
            case Operation.Start o -> ReplicaSet.operate(chosen, Operator.Op.START, origin);
            case Operation.Restart o -> ReplicaSet.operate(chosen, Operator.Op.RESTART, origin);
            case Operation.SendSignal o -> ReplicaSet.signal(chosen, o.signal());
        };
    }

    @Override
    public ReloadPlan plan(CarnivalConfig next) {
        return reloads.plan(next);
    }

    @Override
    public CompletableFuture<ReloadResult> reload(CarnivalConfig next) {
        return reloads.reload(next, "api");
    }

    /** {@link #reload(CarnivalConfig)} asked for by {@code origin} ({@code socket}, {@code signal SIGHUP}, {@code watch}). */
    public CompletableFuture<ReloadResult> reload(CarnivalConfig next, String origin) {
        return reloads.reload(next, origin);
    }

    /** A reload asked for by {@code origin} read a config file with {@code problems}: nothing is applied. */
    public void reloadRejected(String origin, List<String> problems) {
        reloads.rejected(origin, problems);
    }

    /** How many reloads ended with {@code result}: {@code applied}, {@code invalid} or {@code halted}. */
    public long reloads(String result) {
        return reloads.count(result);
    }

    @Override
    public CompletableFuture<Void> scale(String service, int count) {
        return reloads.scale(service, count);
    }

    @Override
    public CompletableFuture<ServiceOutcome> rollingRestart(String service) {
        return reloads.rollingRestart(service);
    }

    @Override
    public long generation() {
        return reloads.generation();
    }

    /** What a reload sees of this supervisor and may change. */
    private final class Membership implements Reloads.Host {
        @Override
        public CarnivalConfig config() {
            return config;
        }

        @Override
        public void config(CarnivalConfig next) {
            config = next;
        }

        @Override
        public List<Replica> members() {
            return replicas.members();
        }

        @Override
        public void members(List<Replica> next) {
            replicas.replace(next);
        }

        @Override
        public String refusal() {
            if (shutdown.requested() || phase == Phase.DRAINING) {
                return "the supervisor is shutting down";
            }
            return phase == Phase.RUNNING ? null : "the supervisor is not running yet (" + phase.id() + ")";
        }

        @Override
        public Replica.Owner owner() {
            return replicas;
        }
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
        return new SupervisorStatus(phase, replicas.status(), reloads.generation());
    }

    @Override
    public void close() throws InterruptedException {
        if (started.compareAndSet(false, true)) {
            // Never started: nothing runs, but the listener threads, timer and process control do.
            shutdown.request("closed before start");
            finish(ExitPolicy.OK);
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
            return ExitPolicy.CONFIG;
        }
        phase = Phase.INIT;
        if (!init.runAll()) {
            return ExitPolicy.INIT_FAILED;
        }
        List<String> problems = preflight.services(environment);
        if (!problems.isEmpty()) {
            dispatcher.publish(new LifecycleEvent.PreflightFailed(Instant.now(), problems));
            return ExitPolicy.CONFIG;
        }
        if (replicas.isEmpty()) {
            dispatcher.publish(new LifecycleEvent.NoServices(Instant.now()));
            return ExitPolicy.OK;
        }
        phase = Phase.RUNNING;
        CompletableFuture<Void> settled = replicas.begin();
        CompletableFuture.anyOf(settled, shutdown.future(), drainAsked).join();
        if (!settled.isDone() && !shutdown.requested()) {
            drain(drainAsked.join(), settled);
        }
        if (!settled.isDone()) {
            phase = Phase.STOPPING;
            replicas.awaitShutdown(config.global().shutdownTimeout(), dispatcher::publish);
        }
        return exits.afterServices();
    }

    private void killEverything() {
        init.kill();
        replicas.killAll();
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
        int stopped = control.stopDescendants(shutdown.left(config.global().shutdownTimeout()));
        if (stopped > 0) {
            dispatcher.publish(new LifecycleEvent.LeftoversStopped(Instant.now(), stopped));
        }
    }
}

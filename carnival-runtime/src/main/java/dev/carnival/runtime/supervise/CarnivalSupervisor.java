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
import dev.carnival.runtime.logs.CapturedOutput;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.SpawnRequest;
import dev.carnival.runtime.resources.ResourceMonitor;
import dev.carnival.runtime.supervise.Wiring.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The supervisor: init commands one after another (on its own thread, {@link InitRunner}), then
 * every {@link Replica} (each a state machine that holds no thread), until all have finished for
 * good or shutdown is requested. Made by {@link Wiring}; its exit code is {@link ExitPolicy}'s.
 */
public final class CarnivalSupervisor implements Supervisor {
    private static final Duration LISTENER_FLUSH = Duration.ofSeconds(2);

    private final Preflight preflight;
    private final ProcessControl control;
    private final SharedTimer ownTimer;
    private final Orchestration orchestration;
    private final EventDispatcher dispatcher;
    private final ReplicaSet replicas;
    private final Reloads reloads;
    private final InitRunner init;
    private final ExitPolicy exits = new ExitPolicy();
    private final ShutdownRequest shutdown = new ShutdownRequest();
    private final Drain drain;
    private final Object shutdownLock = new Object();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Phase phase = Phase.NEW;
    private volatile Observation observation = Observation.NONE;

    CarnivalSupervisor(CarnivalConfig config, Checks checks, Function<InitCommand, SpawnRequest> initRequests,
                       ProcessControl control, EventDispatcher dispatcher, Environment environment,
                       ReplicaSet.Factory replicaFactory, SharedTimer ownTimer, Orchestration orchestration,
                       Reloads reloads) {
        this.control = control;
        this.dispatcher = dispatcher;
        this.ownTimer = ownTimer;
        this.orchestration = orchestration;
        this.init = new InitRunner(config.init(), initRequests, control, shutdown, config.global().shutdownTimeout(),
                dispatcher::publish);
        this.preflight = new Preflight(checks, control, environment, init, dispatcher::publish);
        this.replicas = new ReplicaSet(config, shutdown, exits, this::requestShutdown, () -> phase, replicaFactory);
        ReplicaSet set = replicas;
        this.drain = new Drain(() -> set.config().global().drain()); // a reload's drain-ms applies
        this.reloads = reloads;
        reloads.attach(replicas);
    }

    /** Where its replicas' captured output goes, and what samples their resources; set once, before {@link #start}. */
    void observe(CapturedOutput output, ResourceMonitor resources) {
        this.observation = new Observation(output, resources);
        reloads.follow(output::adopt);
        if (resources != null) {
            reloads.follow(resources::adopt);
        }
    }

    /** The captured services' buffers and listeners, for {@code carnival logs}; null when none is captured. */
    public CapturedOutput capturedOutput() {
        return observation.output();
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
                init.kill();
                replicas.killAll();
                code = ExitPolicy.INTERNAL;
            }
            finish(code);
        });
    }

    /**
     * Asks for a graceful shutdown, saying why (e.g. "signal SIGTERM"); with services running and
     * {@code drain-ms}, a {@link Drain} comes first. True if this call started it (or the drain).
     */
    public boolean requestShutdown(String cause) {
        synchronized (shutdownLock) {
            if (shutdown.requested() || drain.begun()) {
                return false;
            }
            // Published first: the switch wakes the supervisor thread, which could otherwise publish
            // its last event before this one.
            dispatcher.publish(new LifecycleEvent.ShutdownRequested(Instant.now(), cause));
            if (phase == Phase.RUNNING && drain.begin(cause)) {
                phase = Phase.DRAINING; // /readyz answers 503 from now on; the supervisor thread waits it out
                return true;
            }
            shutdown.request(cause);
        }
        replicas.shutdown(orchestration);
        return true;
    }

    /** Ends a drain now (a second SIGTERM): services are told to stop at once; true if one was under way. */
    public boolean endDrain(String cause) {
        return !shutdown.requested() && drain.cut(cause);
    }

    /** Skips what is left of the grace period: SIGKILL to every running process group now. */
    public void killNow(String why) {
        requestShutdown(why);
        shutdown.hasten();
        dispatcher.publish(new LifecycleEvent.ShutdownHastened(Instant.now(), why));
        init.kill();
        replicas.killAll();
    }

    /** Sends {@code signal}, received by the supervisor, to the process group of every running replica. */
    public void forward(Signal signal) {
        replicas.forward(signal, dispatcher::publish);
    }

    @Override
    public void stop() {
        requestShutdown("stop requested by the host program");
    }

    @Override
    public CompletableFuture<Void> perform(Operation operation) {
        return reloads.afterChanges(operation.target(), () -> replicas.perform(operation, dispatcher::publish));
    }

    @Override
    public ReloadPlan plan(CarnivalConfig next) {
        return reloads.plan(next);
    }

    @Override
    public CompletableFuture<ReloadResult> reload(CarnivalConfig next) {
        return reloads.reload(next, "api");
    }

    /** Its reloads, for the {@code carnival} command: those asked for by signal, socket or watch, and their counts. */
    public Reloads reloads() {
        return reloads;
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
    public int await() throws InterruptedException {
        return exits.await();
    }

    @Override
    public Optional<Integer> await(Duration timeout) throws InterruptedException {
        return exits.await(timeout);
    }

    @Override
    public SupervisorStatus status() {
        return new SupervisorStatus(phase, observation.withResources(replicas.status()), reloads.generation());
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
        OptionalInt failed = preflight.run(() -> phase = Phase.INIT);
        if (failed.isPresent()) {
            return failed.getAsInt();
        }
        if (replicas.isEmpty()) {
            dispatcher.publish(new LifecycleEvent.NoServices(Instant.now()));
            return ExitPolicy.OK;
        }
        phase = Phase.RUNNING;
        observation.start(ownTimer, replicas, orchestration, dispatcher::publish);
        CompletableFuture<Void> settled = replicas.begin();
        CompletableFuture.anyOf(settled, shutdown.future(), drain.asked()).join();
        if (!settled.isDone() && !shutdown.requested()) {
            String cause = drain.await(settled, dispatcher::publish);
            synchronized (shutdownLock) {
                shutdown.request(cause); // the shutdown proper, whose deadline counts from here
            }
            replicas.shutdown(orchestration);
        }
        if (!settled.isDone()) {
            phase = Phase.STOPPING;
            replicas.awaitShutdown(replicas.config().global().shutdownTimeout(), dispatcher::publish);
        }
        return exits.afterServices();
    }

    private void finish(int code) {
        phase = Phase.STOPPED;
        observation.close(LISTENER_FLUSH);
        orchestration.close();
        // Nothing it started outlives it: daemons left in a service's group and (as PID 1 or subreaper) every
        // descendant, within what is left of shutdown-timeout-ms (all of it without a shutdown: this is one).
        int leftovers = control.stopDescendants(shutdown.left(replicas.config().global().shutdownTimeout()));
        if (leftovers > 0) {
            dispatcher.publish(new LifecycleEvent.LeftoversStopped(Instant.now(), leftovers));
        }
        dispatcher.publish(new LifecycleEvent.SupervisorStopped(Instant.now(), code));
        dispatcher.close(LISTENER_FLUSH);
        if (ownTimer != null) {
            ownTimer.close();
        }
        control.close();
        exits.complete(code);
    }
}

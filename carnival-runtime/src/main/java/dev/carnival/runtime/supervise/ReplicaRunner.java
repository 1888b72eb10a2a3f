package dev.carnival.runtime.supervise;

import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.OutputMode;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RunOutcome;
import dev.carnival.runtime.depend.Dependencies.Gate;
import dev.carnival.runtime.depend.ReplicaLink;
import dev.carnival.runtime.output.Console;
import dev.carnival.runtime.output.PrefixedLines;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.OutputSink;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.SpawnException;
import dev.carnival.runtime.process.SpawnRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One replica's life: run, wait for the exit, ask the policy, wait the delay, run again; stop its
 * process when the supervisor shuts down.
 *
 * <p>Each step runs on a virtual thread of its own ({@link #start()}), and no thread waits while
 * the process runs: its exit, or shutdown, starts the next step. A virtual thread parked for the
 * whole run kept its frozen stack on the heap, two stack chunks of about 2 KiB each (the first
 * from a lock it had parked on while spawning): 4 MiB for 1000 replicas, most of the
 * supervisor's live heap.
 */
final class ReplicaRunner {
    /** What a shell reports when a command cannot be run; the policy sees a spawn failure as this. */
    static final ExitStatus SPAWN_FAILED = ExitStatus.exited(127);

    private final ReplicaId id;
    private final ServiceConfig service;
    private final List<String> argv; // made once: commandLine() builds a new list at each call
    private final RestartPolicy policy;
    private final ProcessControl control;
    private final Environment environment;
    private final EventSink events;
    private final ShutdownRequest shutdown;
    private final CompletableFuture<StopReason> done = new CompletableFuture<>();
    private final OutputSink stdout;
    private final OutputSink stderr;
    private final BiConsumer<ReplicaRunner, StopReason> onStopped;
    private final String threadName;
    private final ReplicaLink link;
    /** Completes when this replica's process is to be stopped for shutdown: after its dependents are gone. */
    private final CompletableFuture<?> stopForShutdown;
    private boolean gated; // its dependencies were waited for (before the first run only)

    private volatile ReplicaState state = ReplicaState.PENDING;
    private volatile ChildProcess current;
    private volatile int restartCount;
    private volatile ExitStatus lastExit;
    private final Object spawnLock = new Object();

    // Handed from one step to the next, never touched by two at once: a step registers the
    // continuation as its very last action, and registering, completing and Thread.start each
    // order what came before them.
    private int run = 1;
    private Run running;

    /**
     * A started process, waited for by no thread.
     *
     * @param begunNanos   when this run began, spawn included (its uptime for the policy)
     * @param startedNanos when the process was running (its uptime in the exit event)
     */
    private record Run(ChildProcess child, CompletableFuture<ExitStatus> exit, CompletableFuture<Void> livenessFailed,
                       long begunNanos, long startedNanos) {}

    ReplicaRunner(ReplicaId id, ServiceConfig service, RestartPolicy policy, ProcessControl control,
                  Environment baseEnvironment, EventSink events, ShutdownRequest shutdown,
                  boolean outputTimestamps, BiConsumer<ReplicaRunner, StopReason> onStopped, ReplicaLink link,
                  CompletableFuture<?> stopForShutdown) {
        this.onStopped = onStopped;
        this.link = link;
        this.stopForShutdown = stopForShutdown;
        this.id = id;
        this.service = service;
        this.argv = service.commandLine();
        this.policy = policy;
        this.control = control;
        this.events = events;
        this.shutdown = shutdown;
        this.threadName = "replica-" + id;
        this.environment = baseEnvironment
                .with("CARNIVAL_SERVICE_NAME", service.name())
                .with("CARNIVAL_REPLICA_ID", Integer.toString(id.index()))
                .with("CARNIVAL_REPLICA_COUNT", Integer.toString(service.replicas()));
        boolean prefix = service.output() == OutputMode.PREFIX;
        this.stdout = prefix ? new PrefixedLines(Console.OUT, id.toString(), outputTimestamps) : null;
        this.stderr = prefix ? new PrefixedLines(Console.ERR, id.toString(), outputTimestamps) : null;
    }

    /** Starts the first run, or the next step; once per step. */
    void start() {
        Thread.ofVirtual().name(threadName).start(this::step);
    }

    /** Completes with the reason once this replica will never run again. */
    CompletableFuture<StopReason> done() {
        return done;
    }

    ReplicaId id() {
        return id;
    }

    ReplicaLink link() {
        return link;
    }

    /**
     * The running process, if any. Waits while a spawn is under way, so a process that has already
     * started running is never missed (its pid is known once spawn returns).
     */
    Optional<ChildProcess> process() {
        synchronized (spawnLock) {
            return Optional.ofNullable(current);
        }
    }

    ReplicaStatus status() {
        ChildProcess c = current;
        return new ReplicaStatus(id, state, c == null ? OptionalLong.empty() : OptionalLong.of(c.pid()),
                c != null && link.ready(), restartCount, Optional.empty(), Optional.ofNullable(lastExit), Optional.empty(),
                link.probeFailures());
    }

    private void step() {
        StopReason reason = StopReason.SHUTDOWN;
        try {
            reason = advance();
        } catch (RuntimeException e) {
            reason = StopReason.POLICY_ERROR;
            stopped(reason, "internal error: " + e);
        } finally {
            if (reason != null) {
                state = ReplicaState.STOPPED;
                link.stoppedForGood();
                // Before completing: whoever waits on done must see what stopping this replica caused.
                onStopped.accept(this, reason);
                done.complete(reason);
            }
        }
    }

    /**
     * Runs until a process is running (null: its exit or shutdown starts the next step) or this
     * replica has stopped for good (why).
     */
    private StopReason advance() {
        for (; ; run++) {
            ExitStatus status;
            long uptime;
            Run r = running;
            if (r != null) {
                running = null;
                status = finish(r);
                uptime = System.nanoTime() - r.begunNanos();
            } else {
                if (shutdown.requested()) {
                    return stopped(StopReason.SHUTDOWN, "supervisor shutting down");
                }
                if (!gated) {
                    CompletableFuture<Gate> gate = link.awaitDependencies();
                    if (!gate.isDone()) {
                        state = ReplicaState.WAITING;
                        CompletableFuture.anyOf(gate, shutdown.future()).whenComplete((x, e) -> start());
                        return null;
                    }
                    gated = true;
                    if (gate.join() instanceof Gate.Failed f) {
                        return stopped(StopReason.DEPENDENCY, f.detail());
                    }
                }
                long begun = System.nanoTime();
                r = launch(run - 1, begun);
                if (r != null) {
                    running = r;
                    // Also when the exit future fails (process control closed): finish rethrows it.
                    CompletableFuture.anyOf(r.exit(), stopForShutdown, r.livenessFailed()).whenComplete((x, e) -> start());
                    return null;
                }
                status = SPAWN_FAILED;
                uptime = System.nanoTime() - begun;
            }
            lastExit = status;
            if (shutdown.requested()) {
                return stopped(StopReason.SHUTDOWN, "supervisor shutting down");
            }
            RestartDecision decision;
            try {
                decision = policy.decide(new RunOutcome(id, run, status, Duration.ofNanos(uptime), service.restartDelay()));
            } catch (RuntimeException e) {
                return stopped(StopReason.POLICY_ERROR, e.toString());
            }
            switch (decision) {
                case RestartDecision.Stop stop -> {
                    return stopped(StopReason.POLICY, stop.reason());
                }
                case RestartDecision.Restart restart -> {
                    if (service.restartLimit() > 0 && run >= service.restartLimit()) {
                        return stopped(StopReason.RESTART_LIMIT, Integer.toString(service.restartLimit()));
                    }
                    restartCount = run;
                    state = ReplicaState.BACKOFF;
                    events.publish(new LifecycleEvent.RestartScheduled(Instant.now(), id, run, restart.delay()));
                    if (shutdown.awaitFor(restart.delay())) {
                        return stopped(StopReason.SHUTDOWN, "supervisor shutting down");
                    }
                }
            }
        }
    }

    /** Spawns the process; null when it could not be started (the event is published). */
    private Run launch(int restarts, long begunNanos) {
        Environment env = environment.with("CARNIVAL_RESTART_COUNT", Integer.toString(restarts));
        ChildProcess child;
        synchronized (spawnLock) {
            try {
                child = control.spawn(new SpawnRequest(argv, env, service.workingDir(), stdout, stderr));
            } catch (SpawnException e) {
                events.publish(new LifecycleEvent.SpawnFailed(Instant.now(), id, e.getMessage()));
                return null;
            }
            current = child;
        }
        long started = System.nanoTime();
        state = ReplicaState.RUNNING;
        events.publish(new LifecycleEvent.ProcessStarted(Instant.now(), id, child.pid(), restarts));
        CompletableFuture<Void> livenessFailed = new CompletableFuture<>();
        link.started(env, () -> livenessFailed.complete(null));
        return new Run(child, child.onExit(), livenessFailed, begunNanos, started);
    }

    /** After the exit, or on shutdown: stops the process if it still runs; its exit status. */
    private ExitStatus finish(Run r) {
        ChildProcess child = r.child();
        ExitStatus status;
        if (r.exit().isDone()) {
            status = r.exit().join();
        } else {
            state = ReplicaState.STOPPING;
            link.stopping();
            status = GracefulStop.stop(child, id.toString(), service.stopSignal(), service.stopTimeout());
        }
        link.exited(status);
        current = null;
        events.publish(new LifecycleEvent.ProcessExited(Instant.now(), id, child.pid(), status,
                Duration.ofNanos(System.nanoTime() - r.startedNanos())));
        return status;
    }

    private StopReason stopped(StopReason reason, String detail) {
        events.publish(new LifecycleEvent.ReplicaStopped(Instant.now(), id, reason, detail));
        return reason;
    }
}

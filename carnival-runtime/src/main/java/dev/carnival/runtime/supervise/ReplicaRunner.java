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
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One replica's life: run, wait, ask the policy, wait the delay, run again; stop its process
 * when the supervisor shuts down. Runs on its own virtual thread.
 */
final class ReplicaRunner implements Runnable {
    /** What a shell reports when a command cannot be run; the policy sees a spawn failure as this. */
    static final ExitStatus SPAWN_FAILED = ExitStatus.exited(127);

    private final ReplicaId id;
    private final ServiceConfig service;
    private final RestartPolicy policy;
    private final ProcessControl control;
    private final Environment environment;
    private final EventSink events;
    private final ShutdownRequest shutdown;
    private final CompletableFuture<StopReason> done = new CompletableFuture<>();
    private final OutputSink stdout;
    private final OutputSink stderr;
    private final BiConsumer<ReplicaRunner, StopReason> onStopped;

    private volatile ReplicaState state = ReplicaState.PENDING;
    private volatile ChildProcess current;
    private volatile int restartCount;
    private volatile ExitStatus lastExit;
    private final Object spawnLock = new Object();

    ReplicaRunner(ReplicaId id, ServiceConfig service, RestartPolicy policy, ProcessControl control,
                  Map<String, String> baseEnvironment, EventSink events, ShutdownRequest shutdown,
                  boolean outputTimestamps, BiConsumer<ReplicaRunner, StopReason> onStopped) {
        this.onStopped = onStopped;
        this.id = id;
        this.service = service;
        this.policy = policy;
        this.control = control;
        this.events = events;
        this.shutdown = shutdown;
        this.environment = Environment.of(baseEnvironment)
                .with("CARNIVAL_SERVICE_NAME", service.name())
                .with("CARNIVAL_REPLICA_ID", Integer.toString(id.index()))
                .with("CARNIVAL_REPLICA_COUNT", Integer.toString(service.replicas()));
        boolean prefix = service.output() == OutputMode.PREFIX;
        this.stdout = prefix ? new PrefixedLines(Console.OUT, id.toString(), outputTimestamps) : null;
        this.stderr = prefix ? new PrefixedLines(Console.ERR, id.toString(), outputTimestamps) : null;
    }

    /** Completes with the reason once this replica will never run again. */
    CompletableFuture<StopReason> done() {
        return done;
    }

    ReplicaId id() {
        return id;
    }

    ServiceConfig service() {
        return service;
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
                restartCount, Optional.ofNullable(lastExit));
    }

    @Override
    public void run() {
        StopReason reason = StopReason.SHUTDOWN;
        try {
            reason = loop();
        } catch (RuntimeException e) {
            reason = StopReason.POLICY_ERROR;
            stopped(reason, "internal error: " + e);
        } finally {
            state = ReplicaState.STOPPED;
            // Before completing: whoever waits on done must see what stopping this replica caused.
            onStopped.accept(this, reason);
            done.complete(reason);
        }
    }

    private StopReason loop() {
        for (int run = 1; ; run++) {
            if (shutdown.requested()) {
                return stopped(StopReason.SHUTDOWN, "supervisor shutting down");
            }
            long started = System.nanoTime();
            ExitStatus status = runOnce(run - 1);
            Duration uptime = Duration.ofNanos(System.nanoTime() - started);
            lastExit = status;
            if (shutdown.requested()) {
                return stopped(StopReason.SHUTDOWN, "supervisor shutting down");
            }
            RestartDecision decision;
            try {
                decision = policy.decide(new RunOutcome(id, run, status, uptime, service.restartDelay()));
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
                    state = ReplicaState.WAITING_RESTART;
                    events.publish(new LifecycleEvent.RestartScheduled(Instant.now(), id, run, restart.delay()));
                    if (shutdown.awaitFor(restart.delay())) {
                        return stopped(StopReason.SHUTDOWN, "supervisor shutting down");
                    }
                }
            }
        }
    }

    private ExitStatus runOnce(int restarts) {
        Environment env = environment.with("CARNIVAL_RESTART_COUNT", Integer.toString(restarts));
        ChildProcess child;
        synchronized (spawnLock) {
            try {
                child = control.spawn(new SpawnRequest(service.commandLine(), env, service.workingDir(), stdout, stderr));
            } catch (SpawnException e) {
                events.publish(new LifecycleEvent.SpawnFailed(Instant.now(), id, e.getMessage()));
                return SPAWN_FAILED;
            }
            current = child;
        }
        long started = System.nanoTime();
        state = ReplicaState.RUNNING;
        events.publish(new LifecycleEvent.ProcessStarted(Instant.now(), id, child.pid(), restarts));
        CompletableFuture<ExitStatus> exit = child.onExit();
        CompletableFuture.anyOf(exit, shutdown.future()).join();
        ExitStatus status;
        if (exit.isDone()) {
            status = exit.join();
        } else {
            state = ReplicaState.STOPPING;
            status = GracefulStop.stop(child, id.toString(), service.stopSignal(), service.stopTimeout());
        }
        current = null;
        events.publish(new LifecycleEvent.ProcessExited(Instant.now(), id, child.pid(), status,
                Duration.ofNanos(System.nanoTime() - started)));
        return status;
    }

    private StopReason stopped(StopReason reason, String detail) {
        events.publish(new LifecycleEvent.ReplicaStopped(Instant.now(), id, reason, detail));
        return reason;
    }
}

package dev.carnival.runtime.supervise;

import dev.carnival.api.model.JobStatus;
import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RunOutcome;
import dev.carnival.runtime.depend.Dependencies.Gate;
import dev.carnival.runtime.depend.ReplicaLink;
import dev.carnival.runtime.probe.ServiceProbes;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.notify.NotifySockets;
import dev.carnival.runtime.process.Environment;
import dev.carnival.runtime.process.OutputSink;
import dev.carnival.runtime.process.ProcessControl;
import dev.carnival.runtime.process.SpawnException;
import dev.carnival.runtime.process.SpawnRequest;
import dev.carnival.runtime.supervise.DelayScheduler.Cancellable;
import dev.carnival.runtime.supervise.Life.History;
import dev.carnival.runtime.supervise.Message.Timer;
import dev.carnival.runtime.supervise.Transition.Now;
import dev.carnival.runtime.supervise.Transition.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One replica: its {@link Life} on a serial {@link Mailbox}, moved by {@link Transition} and
 * driven here. The driver feeds each message to the transition, publishes the state it returns,
 * then runs its effects in order. On entering a new state it cancels the timers of the state left
 * and starts a new epoch: messages armed before it ({@link Message.Armed}) are dropped, unread.
 *
 * <p>Everything from outside comes as a message, signals included: a message posted while a spawn
 * is under way is handled after the spawn's outcome, so it finds the new process. No lock, no
 * thread waits in any state; the restart policy runs once the mailbox is free
 * ({@link Mailbox#afterDrain}), since it is plugin code and may block.
 */
final class Replica {

    /** What the supervisor learns from its replicas. */
    @FunctionalInterface
    interface Owner {
        /** Called on the replica's mailbox after it entered {@code stopped}. */
        void stopped(Replica replica, Life.Stopped stopped);
    }

    /**
     * What its processes are made from and how they are supervised; a reload hands a replica a
     * new one ({@link Message.Reconfigure}).
     */
    record Setup(ServiceConfig service, RestartPolicy policy, ProcessControl control, Environment environment,
                 OutputSink stdout, OutputSink stderr, ServiceProbes probes) {}

    private final ReplicaId id;
    // Replaced on the mailbox only (a reload); read from elsewhere for reports.
    private volatile ServiceConfig service;
    private List<String> argv; // made once per setup: commandLine() builds a new list at each call
    private RestartPolicy policy;
    private ProcessControl control;
    private Environment environment;
    private OutputSink stdout;
    private OutputSink stderr;
    private final EventSink events;
    private final DelayScheduler timer;
    private final Owner owner;
    private final Mailbox<Message> mailbox;
    private final ReplicaLink link;
    private Transition transition;

    private volatile Life state = new Life.Pending(History.FIRST);
    // Touched on the mailbox only:
    /** The number of the current state entry; armed messages carry the one they were armed in. */
    private long epoch;
    /** The current state's timers, by kind. */
    private final Cancellable[] timers = new Cancellable[Timer.values().length];
    /** The environment of the process that runs, for its probes. */
    private Environment processEnvironment;
    private long processPid; // of the process spawned last, for its link's notify messages
    /** Operators' answers, given once the message and all it set off have been handled. */
    private final List<Effect.Reply> replies = new ArrayList<>(1);
    /** Set before it begins when its service is a scheduled job; replaced when a reload changes the schedule. */
    private volatile ReplicaJob job;
    /** The stop command of the stop under way, while it may still run. */
    private ChildProcess stopCommand;
    /**
     * A job's runs started beside the main one ({@code overlap = "allow"}), with when each began.
     * They are no state of the machine: each is counted when it ends and stopped with the replica,
     * which is reported stopped to the supervisor only once they are gone.
     */
    private final Map<ChildProcess, Long> sideRuns = new LinkedHashMap<>();
    /** Its Stopped state, held back from the supervisor while side runs remain. */
    private Life.Stopped stoppedUntold;
    private StopCommand stopCommandOf; // the setup's: a reload may change it

    /** @param mailboxes runs mailbox drains (each a short burst of handling, then the policy's call) */
    Replica(ReplicaId id, ServiceConfig service, RestartPolicy policy, ProcessControl control, Environment environment,
            OutputSink stdout, OutputSink stderr, EventSink events, DelayScheduler timer, Executor mailboxes,
            Owner owner, ReplicaLink link) {
        this.id = id;
        this.link = link;
        this.service = service;
        this.argv = service.commandLine();
        this.policy = policy;
        this.control = control;
        this.environment = environment;
        this.stdout = stdout;
        this.stderr = stderr;
        this.events = events;
        this.timer = timer;
        this.owner = owner;
        this.transition = new Transition(id, service);
        this.stopCommandOf = StopCommand.of(service).orElse(null);
        this.mailbox = new Mailbox<>(mailboxes, this::handle);
    }

    ReplicaId id() {
        return id;
    }

    /** Makes it a replica of a scheduled job: before it begins, or when a reload changes the schedule. */
    void job(ReplicaJob job) {
        this.job = job;
    }

    ReplicaJob job() {
        return job;
    }

    ServiceConfig service() {
        return service;
    }

    Life state() {
        return state;
    }

    /** Its dependencies and probes. */
    ReplicaLink link() {
        return link;
    }

    void post(Message message) {
        mailbox.post(message);
    }

    /**
     * The process that runs now, as last published (for reports). To signal it, use
     * {@link #signal}: that one also reaches a process whose spawn is under way.
     */
    Optional<ChildProcess> liveProcess() {
        return Optional.ofNullable(live(state));
    }

    /** Sends {@code signal} to its process group if a process runs; completes with whether one did. */
    CompletableFuture<Boolean> signal(Signal signal) {
        CompletableFuture<Boolean> sent = new CompletableFuture<>();
        post(new Message.Forward(signal, sent));
        return sent;
    }

    /** SIGKILL to its process group, once; true if it had a process (or was starting one). */
    boolean kill() {
        Life s = state;
        post(new Message.Kill());
        return s.kind() == Life.Kind.STARTING || live(s) != null;
    }

    private static ChildProcess live(Life s) {
        return switch (s.kind()) {
            case RUNNING -> ((Life.Running) s).child();
            case STOPPING -> ((Life.Stopping) s).leaderExited() ? null : ((Life.Stopping) s).child();
            case PENDING, WAITING, STARTING, DECIDING, BACKOFF, STOPPED, SCHEDULED -> null;
        };
    }

    ReplicaStatus status() {
        Life s = state;
        History h = s.history();
        Optional<ExitStatus> last = Optional.ofNullable(h.lastExit());
        return switch (s.kind()) {
            case RUNNING -> {
                Life.Running r = (Life.Running) s;
                yield snapshot(ReplicaState.RUNNING, r.child(), link.ready(), r.startedNanos(), last, null, h);
            }
            case STOPPING -> snapshot(ReplicaState.STOPPING, live(s), false, null, last, null, h);
            case STOPPED -> snapshot(ReplicaState.STOPPED, null, false, null, last, ((Life.Stopped) s).reason(), h);
            case STARTING -> snapshot(shown(((Life.Starting) s).from()), null, false, null, last, null, h);
            case PENDING, WAITING, DECIDING, BACKOFF, SCHEDULED -> snapshot(shown(s.kind()), null, false, null, last, null, h);
        };
    }

    /** What a state without a process shows. */
    private static ReplicaState shown(Life.Kind kind) {
        return switch (kind) {
            case PENDING -> ReplicaState.PENDING;
            case WAITING -> ReplicaState.WAITING;
            case DECIDING -> ReplicaState.EXITED;
            case BACKOFF -> ReplicaState.BACKOFF;
            case STOPPING, STARTING, RUNNING -> ReplicaState.STOPPING; // a restart: its process is gone
            case STOPPED -> ReplicaState.STOPPED;
            case SCHEDULED -> ReplicaState.SCHEDULED;
        };
    }

    private ReplicaStatus snapshot(ReplicaState st, ChildProcess child, boolean ready, Long startedNanos,
                                   Optional<ExitStatus> last, StopReason reason, History h) {
        return new ReplicaStatus(id, st, child == null ? OptionalLong.empty() : OptionalLong.of(child.pid()), ready,
                h.restarts(), startedNanos == null ? Optional.empty()
                        : Optional.of(Duration.ofNanos(System.nanoTime() - startedNanos)),
                last, Optional.ofNullable(reason), link.probeFailures(),
                Optional.ofNullable(job).map(ReplicaJob::status), link.notifyStatus());
    }

    /** On the mailbox: {@code m}, then what its effects answer at once, then the operators' replies. */
    private void handle(Message m) {
        switch (m.kind()) {
            case SIDE_EXITED -> sideExited((Message.SideExited) m);
            case SIDE_TIMEOUT -> {
                ChildProcess c = ((Message.SideTimeout) m).child();
                if (sideRuns.containsKey(c)) {
                    c.signalGroup(Signal.KILL);
                }
            }
            case BEGIN -> {
                ReplicaJob j = job;
                if (j != null) {
                    j.clock().start();
                }
                transit(m);
            }
            case SHUTDOWN -> {
                transit(m);
                stopSideRuns();
            }
            case KILL -> {
                transit(m);
                sideRuns.keySet().forEach(c -> c.signalGroup(Signal.KILL));
            }
            case RECONFIGURE -> {
                Message.Reconfigure r = (Message.Reconfigure) m;
                take(r.setup());
                link.reconfigure(r.setup().service(), r.setup().probes(), r.inPlace());
                r.done().complete(null);
            }
            default -> transit(m);
        }
    }

    /** {@code m} through the transition, then what its effects answer at once, then the operators' replies. */
    private void transit(Message m) {
        for (Message next = m; next != null; ) {
            if (next instanceof Message.Armed a && a.epoch() != epoch) {
                break; // armed by a state since left
            }
            try {
                next = apply(transition.next(state, next, Now.SYSTEM));
            } catch (RuntimeException e) {
                // A bug of ours, in the transition or an effect: from the state published last.
                next = null;
                apply(transition.broken(state, e, Now.SYSTEM));
            }
        }
        for (Effect.Reply r : replies) {
            if (r.failure() == null) {
                r.done().complete(null);
            } else {
                r.done().completeExceptionally(new IllegalStateException(r.failure()));
            }
        }
        replies.clear();
    }

    /** Publishes the step's state, then runs its effects; returns what one of them answered at once, if any. */
    private Message apply(Step step) {
        if (step.entered()) {
            for (int i = 0; i < timers.length; i++) {
                if (timers[i] != null) {
                    timers[i].cancel();
                    timers[i] = null;
                }
            }
            epoch++;
        }
        state = step.next();
        Message answer = null;
        for (Effect e : step.effects()) {
            Message a = run(e);
            if (a != null) {
                answer = a;
            }
        }
        return answer;
    }

    /** Runs {@code effect}; returns what it answered at once (a spawn's outcome...), or null. */
    private Message run(Effect effect) {
        long at = epoch;
        return switch (effect.kind()) {
            case SPAWN -> spawn(((Effect.Spawn) effect).restartCount());
            case WATCH_EXIT -> {
                // Posted from the reaper's thread: it must only queue, never handle (see ChildProcess.onExit).
                ((Effect.WatchExit) effect).child().onExit().whenComplete((status, error) -> post(error == null
                        ? new Message.Exited(at, status) : new Message.ExitUnknown(at, error.toString())));
                yield null;
            }
            case SIGNAL_GROUP -> {
                Effect.SignalGroup s = (Effect.SignalGroup) effect;
                s.child().signalGroup(s.signal());
                yield null;
            }
            case CHECK_GROUP -> new Message.GroupChecked(at, ((Effect.CheckGroup) effect).child().groupRemains());
            case START_TIMER -> {
                Effect.StartTimer t = (Effect.StartTimer) effect;
                int slot = t.timer().ordinal();
                if (timers[slot] != null) {
                    timers[slot].cancel();
                }
                timers[slot] = timer.schedule(t.delay(), () -> post(new Message.Timeout(at, t.timer())));
                yield null;
            }
            case AWAIT_DEPENDENCIES -> {
                CompletableFuture<Gate> gate = link.awaitDependencies();
                if (gate.isDone()) {
                    yield new Message.DependenciesSettled(at, gate.join());
                }
                gate.thenAccept(g -> post(new Message.DependenciesSettled(at, g)));
                yield null;
            }
            case PROBES_START -> {
                link.started(processEnvironment, processPid, () -> post(new Message.LivenessFailed(at)));
                yield null;
            }
            case PROBES_STOP -> {
                link.stopping();
                yield null;
            }
            case LINK_EXITED -> {
                link.exited(((Effect.LinkExited) effect).status());
                yield null;
            }
            case LINK_STOPPED -> {
                link.stoppedForGood();
                yield null;
            }
            case DECIDE -> {
                RunOutcome outcome = ((Effect.Decide) effect).outcome();
                mailbox.afterDrain(() -> {
                    try {
                        return new Message.Decided(at, policy.decide(outcome), null);
                    } catch (RuntimeException e) {
                        return new Message.Decided(at, null, e);
                    }
                });
                yield null;
            }
            case PUBLISH -> {
                events.publish(((Effect.Publish) effect).event());
                yield null;
            }
            case OWNER_STOPPED -> {
                Life.Stopped stopped = ((Effect.OwnerStopped) effect).stopped();
                stopSideRuns();
                if (sideRuns.isEmpty()) {
                    owner.stopped(this, stopped);
                } else {
                    stoppedUntold = stopped; // told once its side runs are gone
                }
                yield null;
            }
            case JOB_RAN -> {
                jobRan(((Effect.JobRan) effect).result());
                yield null;
            }
            case SIDE_RUN -> {
                startSideRun();
                yield null;
            }
            case RUN_STOP_COMMAND -> {
                ChildProcess main = ((Effect.RunStopCommand) effect).child();
                stopCommand = stopCommandOf.start(id, control, environment, main.pid(), stdout, stderr).orElse(null);
                yield null;
            }
            case KILL_STOP_COMMAND -> {
                if (stopCommand != null) {
                    stopCommand.signalGroup(Signal.KILL);
                    stopCommand = null;
                }
                yield null;
            }
            case REPLY -> {
                replies.add((Effect.Reply) effect);
                yield null;
            }
            case ANSWER -> {
                Effect.Answer a = (Effect.Answer) effect;
                a.sent().complete(a.value());
                yield null;
            }
        };
    }

    /** Counts a job's firing and says how it went. */
    private void jobRan(JobStatus.Result result) {
        ReplicaJob j = job;
        if (j == null) {
            return;
        }
        switch (result) {
            case SUCCESS -> j.record().ran(true, Instant.now());
            case FAILURE -> j.record().ran(false, Instant.now());
            case SKIPPED -> j.record().skipped();
        }
        events.publish(new LifecycleEvent.JobResult(Instant.now(), id, result, j.clock().next()));
    }

    private void startSideRun() {
        ChildProcess child;
        try {
            child = control.spawn(new SpawnRequest(argv, environment.with("CARNIVAL_RESTART_COUNT", "0"),
                    service.workingDir(), stdout, stderr));
        } catch (SpawnException e) {
            events.publish(new LifecycleEvent.SpawnFailed(Instant.now(), id, e.getMessage()));
            jobRan(JobStatus.Result.FAILURE);
            return;
        }
        sideRuns.put(child, System.nanoTime());
        events.publish(new LifecycleEvent.ProcessStarted(Instant.now(), id, child.pid(), 0));
        child.onExit().whenComplete((status, error) -> post(new Message.SideExited(child, error == null ? status : null)));
    }

    private void sideExited(Message.SideExited x) {
        Long begun = sideRuns.remove(x.child());
        if (begun == null) {
            return;
        }
        ExitStatus status = x.status() == null ? Transition.SPAWN_FAILED : x.status();
        events.publish(new LifecycleEvent.ProcessExited(Instant.now(), id, x.child().pid(), status,
                Duration.ofNanos(System.nanoTime() - begun)));
        jobRan(x.status() != null && service.succeeded(x.status()) ? JobStatus.Result.SUCCESS : JobStatus.Result.FAILURE);
        if (sideRuns.isEmpty() && stoppedUntold != null) {
            Life.Stopped stopped = stoppedUntold;
            stoppedUntold = null;
            owner.stopped(this, stopped);
        }
    }

    /** Its side runs get the stop signal, then SIGKILL after the stop timeout. */
    private void stopSideRuns() {
        for (ChildProcess c : sideRuns.keySet()) {
            c.signalGroup(service.stopSignal());
            timer.schedule(service.stopTimeout(), () -> post(new Message.SideTimeout(c)));
        }
    }

    /** Takes {@code setup} for what comes next; the process that runs, if one does, is left alone. */
    private void take(Setup setup) {
        Environment env = setup.environment().with("CARNIVAL_REPLICA_ID", Integer.toString(id.index()));
        String notify = environment.get(NotifySockets.VARIABLE);
        if (notify != null && setup.service().readiness().map(ProbeSpec::notifies).orElse(false)) {
            env = env.with(NotifySockets.VARIABLE, notify); // its sd_notify socket lives as long as the replica
        }
        Setup s = new Setup(setup.service(), setup.policy(), setup.control(), env, setup.stdout(), setup.stderr(),
                setup.probes());
        this.service = s.service();
        this.argv = s.service().commandLine();
        this.policy = s.policy();
        this.control = s.control();
        this.environment = s.environment();
        this.stdout = s.stdout();
        this.stderr = s.stderr();
        this.transition = new Transition(id, s.service());
        this.stopCommandOf = StopCommand.of(s.service()).orElse(null);
    }

    /**
     * Hands it {@code setup} between two messages; completes once taken. {@code inPlace}: the
     * process that runs keeps running under it, its probes restarted with the new ones.
     */
    CompletableFuture<Void> reconfigure(Setup setup, boolean inPlace) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        post(new Message.Reconfigure(setup, inPlace, done));
        return done;
    }

    private Message spawn(int restartCount) {
        long begun = System.nanoTime();
        Environment env = environment.with("CARNIVAL_RESTART_COUNT", Integer.toString(restartCount));
        try {
            ChildProcess child = control.spawn(new SpawnRequest(argv, env, service.workingDir(), stdout, stderr));
            processEnvironment = env;
            processPid = child.pid();
            return new Message.Spawned(epoch, child, begun, System.nanoTime());
        } catch (SpawnException e) {
            return new Message.SpawnFailed(epoch, e.getMessage(), begun);
        }
    }
}

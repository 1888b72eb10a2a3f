package dev.carnival.runtime.supervise;

import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RunOutcome;
import dev.carnival.runtime.depend.Dependencies.Gate;
import dev.carnival.runtime.depend.ReplicaLink;
import dev.carnival.runtime.process.ChildProcess;
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
import java.util.ArrayList;
import java.util.List;
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

    private final ReplicaId id;
    private final ServiceConfig service;
    private final List<String> argv; // made once: commandLine() builds a new list at each call
    private final RestartPolicy policy;
    private final ProcessControl control;
    private final Environment environment;
    private final OutputSink stdout;
    private final OutputSink stderr;
    private final EventSink events;
    private final DelayScheduler timer;
    private final Owner owner;
    private final Mailbox<Message> mailbox;
    private final ReplicaLink link;
    private final Transition transition;

    private volatile Life state = new Life.Pending(History.FIRST);
    // Touched on the mailbox only:
    /** The number of the current state entry; armed messages carry the one they were armed in. */
    private long epoch;
    /** The current state's timers, by kind. */
    private final Cancellable[] timers = new Cancellable[Timer.values().length];
    /** The environment of the process that runs, for its probes. */
    private Environment processEnvironment;
    /** Operators' answers, given once the message and all it set off have been handled. */
    private final List<Effect.Reply> replies = new ArrayList<>(1);

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
        this.mailbox = new Mailbox<>(mailboxes, this::handle);
    }

    ReplicaId id() {
        return id;
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
            case PENDING, WAITING, STARTING, DECIDING, BACKOFF, STOPPED -> null;
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
            case PENDING, WAITING, DECIDING, BACKOFF -> snapshot(shown(s.kind()), null, false, null, last, null, h);
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
        };
    }

    private ReplicaStatus snapshot(ReplicaState st, ChildProcess child, boolean ready, Long startedNanos,
                                   Optional<ExitStatus> last, StopReason reason, History h) {
        return new ReplicaStatus(id, st, child == null ? OptionalLong.empty() : OptionalLong.of(child.pid()), ready,
                h.restarts(), startedNanos == null ? Optional.empty()
                        : Optional.of(Duration.ofNanos(System.nanoTime() - startedNanos)),
                last, Optional.ofNullable(reason), link.probeFailures(), Optional.empty(), link.notifyStatus());
    }

    /** On the mailbox: {@code m}, then what its effects answer at once, then the operators' replies. */
    private void handle(Message m) {
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
                link.started(processEnvironment, () -> post(new Message.LivenessFailed(at)));
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
                owner.stopped(this, ((Effect.OwnerStopped) effect).stopped());
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

    private Message spawn(int restartCount) {
        long begun = System.nanoTime();
        Environment env = environment.with("CARNIVAL_RESTART_COUNT", Integer.toString(restartCount));
        try {
            ChildProcess child = control.spawn(new SpawnRequest(argv, env, service.workingDir(), stdout, stderr));
            processEnvironment = env;
            return new Message.Spawned(epoch, child, begun, System.nanoTime());
        } catch (SpawnException e) {
            return new Message.SpawnFailed(epoch, e.getMessage(), begun);
        }
    }
}

package dev.carnival.runtime.supervise;

import dev.carnival.api.model.JobStatus;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.JobSpec;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RunOutcome;
import dev.carnival.runtime.depend.Dependencies.Gate;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.supervise.Life.After;
import dev.carnival.runtime.supervise.Life.Backoff;
import dev.carnival.runtime.supervise.Life.Deciding;
import dev.carnival.runtime.supervise.Life.History;
import dev.carnival.runtime.supervise.Life.Pending;
import dev.carnival.runtime.supervise.Life.Running;
import dev.carnival.runtime.supervise.Life.Starting;
import dev.carnival.runtime.supervise.Life.Stopped;
import dev.carnival.runtime.supervise.Life.Stopping;
import dev.carnival.runtime.supervise.Life.Waiting;
import dev.carnival.runtime.supervise.Message.Operator;
import dev.carnival.runtime.supervise.Message.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica's life as a function: (state, message) to (next state, effects), with no I/O inside.
 * The time it reads comes in as {@link Now}; everything it wants done goes out as an
 * {@link Effect}, which {@link Replica} runs. Each state's method lists every message: what it
 * does there, or that it changes nothing.
 *
 * <p>A {@link Step} either <em>enters</em> a state (the driver then cancels the timers of the one
 * left and starts a new epoch, so whatever the old one armed is dropped) or <em>stays</em> in it
 * with new data (its timers and armed messages hold).
 *
 * <p>Dispatch is a {@code switch} over the enum {@code kind()} each sealed record returns, cast
 * once per arm: a switch expression over an enum is exhaustive to the compiler and costs one plain
 * class at start, where every pattern switch bootstraps through {@code invokedynamic} and spins a
 * class on its first run (about 3 ms of start-up for the few a one-service run meets). The casts
 * the compiler cannot check, {@code TransitionTableTest} does, over every state and message.
 */
final class Transition {
    /** What a shell reports when a command cannot be run; the policy sees a spawn failure as this. */
    static final ExitStatus SPAWN_FAILED = ExitStatus.exited(127);
    /** Nothing tells us when a group empties after its leader exits, so look again this often. */
    static final Duration REMNANT_POLL = Duration.ofMillis(20);
    private static final String SHUTTING_DOWN = "supervisor shutting down";

    /** The clock a transition reads. */
    interface Now {
        Now SYSTEM = new Now() {
            @Override
            public Instant instant() {
                return Instant.now();
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }
        };

        Instant instant();

        long nanoTime();
    }

    /**
     * The next state and what to do.
     *
     * @param entered the state is a new one: the previous state's timers and armed messages die
     */
    record Step(Life next, boolean entered, List<Effect> effects) {
        Step {
            effects = List.copyOf(effects);
        }
    }

    private final ReplicaId id;
    private final ServiceConfig service;

    Transition(ReplicaId id, ServiceConfig service) {
        this.id = id;
        this.service = service;
    }

    /** What {@code m} does in {@code s}. */
    Step next(Life s, Message m, Now now) {
        Out out = new Out(now);
        return switch (s.kind()) {
            case PENDING -> pending((Pending) s, m, out);
            case WAITING -> waiting((Waiting) s, m, out);
            case STARTING -> starting((Starting) s, m, out);
            case RUNNING -> running((Running) s, m, out);
            case DECIDING -> deciding((Deciding) s, m, out);
            case BACKOFF -> backoff((Backoff) s, m, out);
            case STOPPING -> stopping((Stopping) s, m, out);
            case STOPPED -> stopped((Stopped) s, m, out);
            case SCHEDULED -> scheduled((Life.Scheduled) s, m, out);
        };
    }

    /**
     * What follows a bug of ours in {@code s} (a transition or an effect threw {@code error}): this
     * replica is lost, but its process must not be, nor the supervisor.
     */
    Step broken(Life s, RuntimeException error, Now now) {
        Out out = new Out(now);
        out.add(publish(new LifecycleEvent.InternalError(now.instant(), id + ": " + error)));
        ChildProcess child = s instanceof Running r ? r.child() : s instanceof Stopping st ? st.child() : null;
        if (child != null) {
            out.add(new Effect.SignalGroup(child, Signal.KILL));
        }
        return stop(StopReason.INTERNAL_ERROR, error.toString(), s.history(), out);
    }

    private Step pending(Pending p, Message m, Out out) {
        History h = p.history();
        return switch (m.kind()) {
            case BEGIN -> service.job().map(j -> !j.runOnStart()).orElse(false)
                    ? out.enter(new Life.Scheduled(h)) // a job waits for its schedule
                    : out.enter(new Waiting(h), new Effect.AwaitDependencies());
            case SHUTDOWN -> stop(StopReason.SHUTDOWN, SHUTTING_DOWN, h, out);
            case SHUTDOWN_REQUESTED -> out.stay(new Pending(h.closed()));
            case OPERATOR -> {
                Operator o = (Operator) m;
                out.add(reply(o));
                // START and RESTART: it starts with the others.
                yield o.op() == Operator.Op.STOP ? stop(StopReason.OPERATOR, o.origin(), h, out) : out.stay(p);
            }
            case FORWARD -> out.stay(p, notSent(m));
            case DEPENDENCIES_SETTLED, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, DECIDED,
                 TIMEOUT, GROUP_CHECKED, KILL, FIRE, SIDE_EXITED, SIDE_TIMEOUT, RECONFIGURE -> out.stay(p);
        };
    }

    private Step waiting(Waiting w, Message m, Out out) {
        History h = w.history();
        return switch (m.kind()) {
            case DEPENDENCIES_SETTLED -> settled(w, ((Message.DependenciesSettled) m).gate(), out);
            case SHUTDOWN -> stop(StopReason.SHUTDOWN, SHUTTING_DOWN, h, out);
            case SHUTDOWN_REQUESTED -> out.stay(new Waiting(h.closed()));
            case OPERATOR -> {
                Operator o = (Operator) m;
                out.add(reply(o));
                // START and RESTART: it starts once its dependencies allow.
                yield o.op() == Operator.Op.STOP ? stop(StopReason.OPERATOR, o.origin(), h, out) : out.stay(w);
            }
            case FORWARD -> out.stay(w, notSent(m));
            case BEGIN, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, DECIDED, TIMEOUT,
                 GROUP_CHECKED, KILL, SIDE_EXITED, SIDE_TIMEOUT, RECONFIGURE -> out.stay(w);
            case FIRE -> overlapping(w, out); // its run is due already, waiting for its dependencies
        };
    }

    private Step starting(Starting st, Message m, Out out) {
        History h = st.history();
        return switch (m.kind()) {
            case SPAWNED -> {
                Message.Spawned s = (Message.Spawned) m;
                ChildProcess child = s.child();
                yield out.enter(new Running(child, s.begunNanos(), s.startedNanos(), h),
                        publish(new LifecycleEvent.ProcessStarted(out.now.instant(), id, child.pid(), h.run() - 1)),
                        new Effect.WatchExit(child), new Effect.ProbesStart());
            }
            case SPAWN_FAILED -> {
                Message.SpawnFailed f = (Message.SpawnFailed) m;
                out.add(publish(new LifecycleEvent.SpawnFailed(out.now.instant(), id, f.reason())));
                yield ended(h.exited(SPAWN_FAILED), SPAWN_FAILED, f.begunNanos(), out);
            }
            case SHUTDOWN_REQUESTED -> out.stay(new Starting(st.from(), h.closed()));
            // The driver hands the spawn's outcome over before anything else: nothing else reaches
            // this state, but nobody is left without an answer if it did.
            case OPERATOR -> out.stay(st, reply((Operator) m));
            case FORWARD -> out.stay(st, notSent(m));
            case BEGIN, DEPENDENCIES_SETTLED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, DECIDED, TIMEOUT, GROUP_CHECKED,
                 SHUTDOWN, KILL, FIRE, SIDE_EXITED, SIDE_TIMEOUT, RECONFIGURE -> out.stay(st);
        };
    }

    private Step running(Running r, Message m, Out out) {
        History h = r.history();
        ChildProcess child = r.child();
        return switch (m.kind()) {
            case EXITED -> {
                ExitStatus status = ((Message.Exited) m).status();
                yield ended(exited(child, status, r.startedNanos(), h, out), status, r.begunNanos(), out);
            }
            case EXIT_UNKNOWN -> lost(child, ((Message.ExitUnknown) m).error(), h, out);
            case LIVENESS_FAILED -> stopProcess(r, After.of(After.Then.LIVENESS, "liveness probe", null), out);
            case SHUTDOWN -> stopProcess(r, After.of(After.Then.SHUTDOWN, "shutdown", null), out);
            case SHUTDOWN_REQUESTED -> out.stay(new Running(child, r.begunNanos(), r.startedNanos(), h.closed()));
            case KILL -> out.stay(r, new Effect.SignalGroup(child, Signal.KILL));
            case FORWARD -> {
                Message.Forward f = (Message.Forward) m;
                yield out.stay(r, new Effect.SignalGroup(child, f.signal()), new Effect.Answer(f.sent(), true));
            }
            case OPERATOR -> {
                Operator o = (Operator) m;
                yield switch (o.op()) {
                    case STOP -> stopProcess(r, After.of(After.Then.OPERATOR_STOP, o.origin(), o.done()), out);
                    case RESTART -> stopProcess(r, After.of(After.Then.RESTART, o.origin(), o.done()), out);
                    case START -> out.stay(r, reply(o));
                };
            }
            case FIRE -> replaces() ? stopProcess(r, After.of(After.Then.RESTART, "schedule (overlap = replace)", null), out)
                    : overlapping(r, out);
            case BEGIN, DEPENDENCIES_SETTLED, SPAWNED, SPAWN_FAILED, DECIDED, TIMEOUT, GROUP_CHECKED, SIDE_EXITED,
                 SIDE_TIMEOUT, RECONFIGURE -> out.stay(r);
        };
    }

    private Step deciding(Deciding d, Message m, Out out) {
        History h = d.history();
        return switch (m.kind()) {
            case DECIDED -> decided(d, (Message.Decided) m, out);
            case SHUTDOWN -> stop(StopReason.SHUTDOWN, SHUTTING_DOWN, h, out);
            case SHUTDOWN_REQUESTED -> out.stay(new Deciding(h.closed()));
            case OPERATOR -> betweenRuns(d, (Operator) m, out);
            case FORWARD -> out.stay(d, notSent(m));
            case BEGIN, DEPENDENCIES_SETTLED, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, TIMEOUT,
                 GROUP_CHECKED, KILL, SIDE_EXITED, SIDE_TIMEOUT, RECONFIGURE -> out.stay(d);
            case FIRE -> replaces() ? spawn(d, h.fresh(), out) : overlapping(d, out);
        };
    }

    private Step backoff(Backoff b, Message m, Out out) {
        History h = b.history();
        return switch (m.kind()) {
            case TIMEOUT -> ((Message.Timeout) m).timer() == Timer.RESTART_DELAY ? spawn(b, h, out) : out.stay(b);
            case SHUTDOWN -> stop(StopReason.SHUTDOWN, SHUTTING_DOWN, h, out);
            case SHUTDOWN_REQUESTED -> out.stay(new Backoff(h.closed()));
            case OPERATOR -> betweenRuns(b, (Operator) m, out);
            case FORWARD -> out.stay(b, notSent(m));
            case BEGIN, DEPENDENCIES_SETTLED, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, DECIDED,
                 GROUP_CHECKED, KILL, SIDE_EXITED, SIDE_TIMEOUT, RECONFIGURE -> out.stay(b);
            case FIRE -> replaces() ? spawn(b, h.fresh(), out) : overlapping(b, out);
        };
    }

    private Step stopping(Stopping s, Message m, Out out) {
        ChildProcess child = s.child();
        return switch (m.kind()) {
            case EXITED -> {
                ExitStatus status = ((Message.Exited) m).status();
                Stopping gone = s.leaderGone(exited(child, status, s.startedNanos(), s.history(), out));
                // SIGKILL already went to the group: nothing of it is waited for.
                yield gone.killed() ? afterStop(gone, out) : out.stay(gone, new Effect.CheckGroup(child));
            }
            case GROUP_CHECKED -> ((Message.GroupChecked) m).remains()
                    ? out.stay(s, new Effect.StartTimer(Timer.REMNANT_CHECK, REMNANT_POLL))
                    : afterStop(s, out);
            case TIMEOUT -> switch (((Message.Timeout) m).timer()) {
                case STOP_TIMEOUT -> {
                    if (s.killed()) {
                        yield out.stay(s);
                    }
                    out.add(publish(new LifecycleEvent.StopEscalated(out.now.instant(), id.toString(),
                            service.stopSignal(), service.stopTimeout(), s.leaderExited())));
                    yield kill(s, out);
                }
                case REMNANT_CHECK -> s.killed() ? afterStop(s, out) : out.stay(s, new Effect.CheckGroup(child));
                case RESTART_DELAY -> out.stay(s);
            };
            case EXIT_UNKNOWN -> s.leaderExited() ? out.stay(s)
                    : lost(child, ((Message.ExitUnknown) m).error(), s.history(), out);
            case KILL -> s.killed() ? out.stay(s) : kill(s, out);
            // Shutdown wins over what an operator asked: nothing starts again, but its waiters are told.
            case SHUTDOWN -> out.stay(s.with(s.after().then(After.Then.SHUTDOWN, s.after().origin(), null)));
            case SHUTDOWN_REQUESTED -> out.stay(s.closing());
            case OPERATOR -> {
                Operator o = (Operator) m;
                After.Then now = s.after().then();
                After.Then next = o.op() == Operator.Op.STOP
                        ? (now == After.Then.RESTART || now == After.Then.LIVENESS ? After.Then.OPERATOR_STOP : now)
                        : (now == After.Then.SHUTDOWN ? After.Then.SHUTDOWN : After.Then.RESTART);
                yield out.stay(s.with(s.after().then(next, o.origin(), o.done())));
            }
            case FORWARD -> {
                Message.Forward f = (Message.Forward) m;
                yield s.leaderExited() ? out.stay(s, notSent(m))
                        : out.stay(s, new Effect.SignalGroup(child, f.signal()), new Effect.Answer(f.sent(), true));
            }
            case FIRE -> overlapping(s, out);
            case BEGIN, DEPENDENCIES_SETTLED, SPAWNED, SPAWN_FAILED, LIVENESS_FAILED, DECIDED, SIDE_EXITED,
                 SIDE_TIMEOUT, RECONFIGURE -> out.stay(s);
        };
    }

    private Step stopped(Stopped s, Message m, Out out) {
        History h = s.history();
        return switch (m.kind()) {
            case OPERATOR -> {
                Operator o = (Operator) m;
                if (o.op() == Operator.Op.STOP) {
                    yield out.stay(s, reply(o));
                }
                if (h.closing()) {
                    yield out.stay(s, new Effect.Reply(o.done(), "the supervisor is shutting down"));
                }
                // An operator's start waits for the dependencies exactly as the first start did.
                yield out.enter(new Waiting(h.fresh()), new Effect.AwaitDependencies(), reply(o));
            }
            case SHUTDOWN_REQUESTED -> out.stay(new Stopped(s.reason(), s.detail(), h.closed()));
            case FORWARD -> out.stay(s, notSent(m));
            case BEGIN, DEPENDENCIES_SETTLED, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, DECIDED,
                 TIMEOUT, GROUP_CHECKED, SHUTDOWN, KILL, FIRE, SIDE_EXITED, SIDE_TIMEOUT, RECONFIGURE -> out.stay(s);
        };
    }

    private Step scheduled(Life.Scheduled sc, Message m, Out out) {
        History h = sc.history();
        return switch (m.kind()) {
            case FIRE -> h.closing() ? out.stay(sc) : out.enter(new Waiting(h.fresh()), new Effect.AwaitDependencies());
            case SHUTDOWN -> stop(StopReason.SHUTDOWN, SHUTTING_DOWN, h, out);
            case SHUTDOWN_REQUESTED -> out.stay(new Life.Scheduled(h.closed()));
            case OPERATOR -> {
                Operator o = (Operator) m;
                if (o.op() == Operator.Op.STOP) {
                    out.add(reply(o));
                    yield stop(StopReason.OPERATOR, o.origin(), h, out); // its schedule with it, until started
                }
                if (h.closing()) {
                    yield out.stay(sc, new Effect.Reply(o.done(), "the supervisor is shutting down"));
                }
                // START and RESTART run it now; its schedule goes on.
                yield out.enter(new Waiting(h.fresh()), new Effect.AwaitDependencies(), reply(o));
            }
            case FORWARD -> out.stay(sc, notSent(m));
            case BEGIN, DEPENDENCIES_SETTLED, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, DECIDED,
                 TIMEOUT, GROUP_CHECKED, KILL, SIDE_EXITED, SIDE_TIMEOUT, RECONFIGURE -> out.stay(sc);
        };
    }

    /** A job's firing while its last run still runs: with overlap = replace, that run makes way. */
    private boolean replaces() {
        return service.job().map(j -> j.overlap() == JobSpec.Overlap.REPLACE).orElse(false);
    }

    /**
     * A firing while the last run still runs (or waits to): with overlap = allow, another run
     * starts beside it; else it is skipped, and counted. The state stays.
     */
    private Step overlapping(Life s, Out out) {
        if (service.job().isEmpty()) {
            return out.stay(s);
        }
        if (service.job().get().overlap() == JobSpec.Overlap.ALLOW && !s.history().closing()) {
            return out.stay(s, new Effect.SideRun());
        }
        return out.stay(s, new Effect.JobRan(JobStatus.Result.SKIPPED));
    }

    /** An operator's request while no process runs and the policy or the restart delay has the next say. */
    private Step betweenRuns(Life s, Operator o, Out out) {
        out.add(reply(o));
        return switch (o.op()) {
            case STOP -> stop(StopReason.OPERATOR, o.origin(), s.history(), out);
            case RESTART -> spawn(s, s.history().fresh(), out);
            case START -> out.stay(s);
        };
    }

    /** SIGKILL to the group; once the leader is gone that is the end: nothing more to wait for. */
    private Step kill(Stopping s, Out out) {
        out.add(new Effect.SignalGroup(s.child(), Signal.KILL));
        if (!service.stopCommand().isEmpty()) {
            out.add(new Effect.KillStopCommand());
        }
        return s.leaderExited() ? afterStop(s.afterKill(), out) : out.stay(s.afterKill());
    }

    private Step afterStop(Stopping s, Out out) {
        History h = s.history();
        for (var done : s.after().waiting()) {
            out.add(new Effect.Reply(done, null));
        }
        return switch (s.after().then()) {
            case SHUTDOWN -> stop(StopReason.SHUTDOWN, SHUTTING_DOWN, h, out);
            case OPERATOR_STOP -> stop(StopReason.OPERATOR, s.after().origin(), h, out);
            case RESTART -> spawn(s, h.fresh(), out);
            case LIVENESS -> ended(h, h.lastExit(), s.startedNanos(), out);
        };
    }

    private Step settled(Waiting w, Gate gate, Out out) {
        History h = w.history();
        if (!(gate instanceof Gate.Failed f)) {
            return spawn(w, h, out);
        }
        if (h.closing()) {
            // The shutdown stopped the dependency: that is no failure of it.
            return stop(StopReason.SHUTDOWN, SHUTTING_DOWN, h, out);
        }
        out.add(publish(new LifecycleEvent.DependencyFailed(out.now.instant(), id, f.dependency(), f.detail())));
        return stop(StopReason.DEPENDENCY, f.detail(), h, out);
    }

    /** Starts a run, unless the supervisor is shutting down. */
    private Step spawn(Life from, History h, Out out) {
        if (h.closing()) {
            return stop(StopReason.SHUTDOWN, SHUTTING_DOWN, h, out);
        }
        return out.enter(new Starting(from.kind(), h), new Effect.Spawn(h.run() - 1));
    }

    private History exited(ChildProcess child, ExitStatus status, long startedNanos, History h, Out out) {
        Duration uptime = Duration.ofNanos(out.now.nanoTime() - startedNanos);
        out.add(publish(new LifecycleEvent.ProcessExited(out.now.instant(), id, child.pid(), status, uptime)));
        out.add(new Effect.LinkExited(status));
        return h.exited(status);
    }

    /** A run ended: the exit is published by now; unless shutting down, the policy decides. */
    private Step ended(History h, ExitStatus status, long begunNanos, Out out) {
        if (h.closing()) {
            return stop(StopReason.SHUTDOWN, SHUTTING_DOWN, h, out);
        }
        RunOutcome outcome = new RunOutcome(id, h.run(), status, Duration.ofNanos(out.now.nanoTime() - begunNanos),
                service.restartDelay(), service.successExitCodes());
        return out.enter(new Deciding(h), new Effect.Decide(outcome));
    }

    private Step decided(Deciding d, Message.Decided x, Out out) {
        History h = d.history();
        if (x.error() != null) {
            return stop(StopReason.POLICY_ERROR, x.error().toString(), h, out);
        }
        if (x.decision() instanceof RestartDecision.Stop s) {
            return stop(StopReason.POLICY, s.reason(), h, out);
        }
        RestartDecision.Restart r = (RestartDecision.Restart) x.decision(); // the other of the two
        if (service.restartLimit() > 0 && h.run() >= service.restartLimit()) {
            return stop(StopReason.RESTART_LIMIT, Integer.toString(service.restartLimit()), h, out);
        }
        if (h.closing()) {
            return stop(StopReason.SHUTDOWN, SHUTTING_DOWN, h, out);
        }
        out.add(publish(new LifecycleEvent.RestartScheduled(out.now.instant(), id, h.run(), r.delay())));
        if (r.delay().isZero()) {
            return spawn(d, h.nextRun(), out);
        }
        return out.enter(new Backoff(h.nextRun()), new Effect.StartTimer(Timer.RESTART_DELAY, r.delay()));
    }

    /** Probes stop, the stop signal goes out; SIGKILL follows after the stop timeout unless the group is gone. */
    private Step stopProcess(Running r, After after, Out out) {
        ChildProcess c = r.child();
        return out.enter(new Stopping(c, r.startedNanos(), after, false, false, r.history()),
                new Effect.ProbesStop(), service.stopCommand().isEmpty() ? new Effect.SignalGroup(c, service.stopSignal())
                        : new Effect.RunStopCommand(c),
                new Effect.StartTimer(Timer.STOP_TIMEOUT, service.stopTimeout()), new Effect.WatchExit(c));
    }

    /** Process control lost the exit of {@code child}: this replica is lost, but its process must not be. */
    private Step lost(ChildProcess child, String error, History h, Out out) {
        String detail = "exit of " + id + " not reported: " + error;
        out.add(publish(new LifecycleEvent.InternalError(out.now.instant(), id + ": " + detail)));
        out.add(new Effect.SignalGroup(child, Signal.KILL));
        return stop(StopReason.INTERNAL_ERROR, detail, h, out);
    }

    private Step stop(StopReason reason, String detail, History h, Out out) {
        if (service.job().isPresent() && (reason == StopReason.POLICY || reason == StopReason.RESTART_LIMIT
                || reason == StopReason.POLICY_ERROR)) {
            // A job's run is over (its policy's retries within the run included); its schedule goes on.
            boolean success = h.lastExit() != null && service.succeeded(h.lastExit());
            return out.enter(new Life.Scheduled(h), new Effect.JobRan(success ? JobStatus.Result.SUCCESS
                    : JobStatus.Result.FAILURE));
        }
        Stopped stopped = new Stopped(reason, detail, h);
        return out.enter(stopped, new Effect.LinkStopped(),
                publish(new LifecycleEvent.ReplicaStopped(out.now.instant(), id, reason, detail)),
                new Effect.OwnerStopped(stopped));
    }

    private static Effect.Reply reply(Operator o) {
        return new Effect.Reply(o.done(), null);
    }

    private static Effect.Answer notSent(Message forward) {
        return new Effect.Answer(((Message.Forward) forward).sent(), false);
    }

    private static Effect.Publish publish(LifecycleEvent event) {
        return new Effect.Publish(event);
    }

    /** The effects of one step, in order, and the clock they read. */
    private static final class Out {
        final Now now;
        final List<Effect> effects = new ArrayList<>(4);

        Out(Now now) {
            this.now = now;
        }

        void add(Effect e) {
            effects.add(e);
        }

        Step enter(Life next, Effect... more) {
            return step(next, true, more);
        }

        Step stay(Life next, Effect... more) {
            return step(next, false, more);
        }

        private Step step(Life next, boolean entered, Effect[] more) {
            effects.addAll(List.of(more));
            return new Step(next, entered, effects);
        }
    }
}

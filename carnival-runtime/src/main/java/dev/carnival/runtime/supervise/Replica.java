package dev.carnival.runtime.supervise;

import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.api.restart.RestartDecision;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One replica's life as a state machine. Every change comes from a {@link Message} on the
 * replica's serial {@link Mailbox}: the reaper's report of an exit, a timer, the restart policy's
 * decision, the supervisor's shutdown, an operator's request. {@link #handle} hands each to the
 * state, which calls its own method here; that method says what each message does there. The
 * state is the only mutable thing: {@link #status()} is derived from it. No thread waits for
 * anything in any state.
 *
 * <p>States and messages are dispatched with a method of the sealed {@link State} and
 * {@code instanceof}, not pattern switches: every start and stop runs this path, and each pattern
 * switch is bootstrapped on its first run, spinning a class (about 3 ms of start-up for the five
 * that a run of one service met). {@code StateMachineTest} goes through every state and message.
 * {@link #status()} keeps its switch: it runs only when someone asks.
 */
final class Replica {
    /** What a shell reports when a command cannot be run; the policy sees a spawn failure as this. */
    static final ExitStatus SPAWN_FAILED = ExitStatus.exited(127);
    /** Nothing tells us when a group empties after its leader exits, so look again this often. */
    private static final Duration REMNANT_POLL = Duration.ofMillis(20);

    /** What the supervisor learns from its replicas. */
    interface Owner {
        /** True once shutdown was requested: nothing starts any more. */
        boolean shuttingDown();

        /** Called on the replica's mailbox after it entered {@code stopped}. */
        void stopped(Replica replica, Stopped stopped);
    }

    /**
     * What a replica has been through, carried from state to state.
     *
     * @param run      the number of the current or next run since the last (re)start, from 1:
     *                 what the restart limit counts
     * @param restarts every restart since the supervisor began, operator restarts included
     * @param lastExit how the latest process ended, or null
     */
    record History(int run, int restarts, ExitStatus lastExit) {
        static final History FIRST = new History(1, 0, null);

        History exited(ExitStatus status) {
            return new History(run, restarts, status);
        }

        History nextRun() {
            return new History(run + 1, restarts + 1, lastExit);
        }

        /** An operator's start: a fresh restart-limit count. */
        History fresh() {
            return new History(1, lastExit == null ? restarts : restarts + 1, lastExit);
        }
    }

    /** Where a replica is. Each state holds all it needs, history included. */
    sealed interface State {
        History history();

        /** What {@code m} does in this state, by {@code r}'s method for it. */
        State on(Replica r, Message m);
    }

    /** Not started yet: the init commands run. */
    record Pending(History history) implements State {
        @Override
        public State on(Replica r, Message m) {
            return r.pending(this, m);
        }
    }

    /** Waiting for its dependencies' conditions (before its first run only). */
    record Waiting(History history) implements State {
        @Override
        public State on(Replica r, Message m) {
            return r.waiting(this, m);
        }
    }

    /** Its process runs. */
    record Running(ChildProcess child, long begunNanos, long startedNanos, History history) implements State {
        @Override
        public State on(Replica r, Message m) {
            return r.running(this, m);
        }
    }

    /** Its run ended; the restart policy is deciding (off the mailbox: it is plugin code). */
    record Deciding(History history) implements State {
        @Override
        public State on(Replica r, Message m) {
            return r.deciding(this, m);
        }
    }

    /** Waiting out the restart delay on the shared timer; {@code token} tells its tick from stale ones. */
    record Backoff(Object token, Cancellable timer, History history) implements State {
        @Override
        public State on(Replica r, Message m) {
            return r.backoff(this, m);
        }
    }

    /**
     * Its process was sent its stop signal; {@code after} says what follows once it and its group
     * are gone. The stop timeout's tick ({@code timer}) brings SIGKILL to whatever is left then.
     */
    record Stopping(ChildProcess child, long startedNanos, After after, boolean leaderExited, boolean killed,
                    Cancellable timer, History history) implements State {
        @Override
        public State on(Replica r, Message m) {
            return r.stopping(this, m);
        }

        Stopping with(After next) {
            return new Stopping(child, startedNanos, next, leaderExited, killed, timer, history);
        }

        Stopping leaderGone(History h) {
            return new Stopping(child, startedNanos, after, true, killed, timer, h);
        }

        Stopping afterKill() {
            return new Stopping(child, startedNanos, after, leaderExited, true, timer, history);
        }
    }

    /** It has no process and will not run again unless an operator starts it. */
    record Stopped(StopReason reason, String detail, History history) implements State {
        @Override
        public State on(Replica r, Message m) {
            return r.stopped(this, m);
        }
    }

    /** What comes after a stop, and who waits for it. */
    record After(Kind kind, String origin, List<CompletableFuture<Void>> waiting) {
        /** LIVENESS: its liveness probe failed; once it is gone, its policy decides as for any exit. */
        enum Kind { SHUTDOWN, OPERATOR_STOP, RESTART, LIVENESS }

        After {
            waiting = List.copyOf(waiting);
        }

        static After of(Kind kind, String origin, CompletableFuture<Void> done) {
            return new After(kind, origin, done == null ? List.of() : List.of(done));
        }

        /** What follows now, with one more waiter ({@code done} may be null). */
        After then(Kind next, String by, CompletableFuture<Void> done) {
            List<CompletableFuture<Void>> all = new ArrayList<>(waiting);
            if (done != null) {
                all.add(done);
            }
            return new After(next, by, all);
        }
    }

    /** What moves a replica. */
    sealed interface Message {}

    /** The supervisor is done with the init commands: run. */
    record Begin() implements Message {}

    /** Its dependencies' conditions hold, or one never will ({@link Gate.Failed}). */
    record DependenciesSettled(Gate gate) implements Message {}

    /** {@code child}'s liveness probe failed failure-threshold times in a row. */
    record LivenessFailed(ChildProcess child) implements Message {}

    /** The reaper reports {@code child} exited. */
    record Exited(ChildProcess child, ExitStatus status) implements Message {}

    /** Process control could not report how {@code child} ended (it was closed under it). */
    record ExitUnknown(ChildProcess child, Throwable error) implements Message {}

    /** The restart policy decided (or threw {@code error}). */
    record Decided(Deciding which, RestartDecision decision, RuntimeException error) implements Message {}

    /** A restart delay is over. */
    record DelayElapsed(Object token) implements Message {}

    /** {@code child}'s stop timeout is over. */
    record StopTimeout(ChildProcess child) implements Message {}

    /** Time to look whether what is left of {@code child}'s group has gone. */
    record RemnantCheck(ChildProcess child) implements Message {}

    /** The supervisor is shutting down. */
    record Shutdown() implements Message {}

    /** The supervisor's grace period is over: its process group has been sent SIGKILL. */
    record Killed() implements Message {}

    /** An operator's request; {@code done} completes once it has been carried out. */
    record Operator(Op op, String origin, CompletableFuture<Void> done) implements Message {
        enum Op { STOP, START, RESTART }
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

    private volatile State state = new Pending(History.FIRST);
    /** Held while a message is handled; never while plugin code runs. */
    private final Object transition = new Object();
    /** Operators' futures to complete once the state they waited for is published (mailbox only). */
    private final List<CompletableFuture<Void>> completeAfter = new ArrayList<>();
    /** Events of the transition under way, published after it, or after the policy's answer (mailbox only). */
    private final List<LifecycleEvent> reported = new ArrayList<>();

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
        this.mailbox = new Mailbox<>(mailboxes, this::handle);
    }

    ReplicaId id() {
        return id;
    }

    ServiceConfig service() {
        return service;
    }

    State state() {
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
     * The process that runs now, if one does (for signals sent from outside the mailbox). Waits
     * while a message is being handled, so a process whose spawn is under way is never missed: it
     * may already run, and expect a signal, before its state is published.
     */
    Optional<ChildProcess> liveProcess() {
        synchronized (transition) {
            if (state instanceof Running r) {
                return Optional.of(r.child());
            }
            if (state instanceof Stopping s && !s.leaderExited()) {
                return Optional.of(s.child());
            }
            return Optional.empty();
        }
    }

    /** SIGKILL to its process group now, and the machine is told (so it does not escalate again). */
    boolean kill() {
        Optional<ChildProcess> p = liveProcess();
        p.ifPresent(c -> c.signalGroup(Signal.KILL));
        post(new Killed());
        return p.isPresent();
    }

    ReplicaStatus status() {
        State s = state;
        History h = s.history();
        Optional<ExitStatus> last = Optional.ofNullable(h.lastExit());
        return switch (s) {
            case Pending p -> snapshot(ReplicaState.PENDING, null, false, null, last, null, h);
            case Waiting w -> snapshot(ReplicaState.WAITING, null, false, null, last, null, h);
            case Running r -> snapshot(ReplicaState.RUNNING, r.child(), link.ready(), r.startedNanos(), last, null, h);
            case Deciding d -> snapshot(ReplicaState.EXITED, null, false, null, last, null, h);
            case Backoff b -> snapshot(ReplicaState.BACKOFF, null, false, null, last, null, h);
            case Stopping st -> snapshot(ReplicaState.STOPPING, st.leaderExited() ? null : st.child(), false, null,
                    last, null, h);
            case Stopped st -> snapshot(ReplicaState.STOPPED, null, false, null, last, st.reason(), h);
        };
    }

    private ReplicaStatus snapshot(ReplicaState st, ChildProcess child, boolean ready, Long startedNanos,
                                   Optional<ExitStatus> last, StopReason reason, History h) {
        return new ReplicaStatus(id, st, child == null ? OptionalLong.empty() : OptionalLong.of(child.pid()), ready,
                h.restarts(), startedNanos == null ? Optional.empty()
                        : Optional.of(Duration.ofNanos(System.nanoTime() - startedNanos)),
                last, Optional.ofNullable(reason), link.probeFailures());
    }

    /** The one switch: state + message -> next state. Runs on the mailbox, one message at a time. */
    private void handle(Message m) {
        State entered;
        synchronized (transition) {
            entered = transit(m);
        }
        // Published once the state is: a listener that reads the status on an event sees its cause.
        // An exit's events wait while its policy decides (at once, by contract) and go out with
        // the decision's, after the next spawn: woken in between, the listener mostly ran before
        // that spawn, on its core (1000 restarts of `true` took up to a tenth longer).
        if (!(entered instanceof Deciding)) {
            reported.forEach(events::publish);
            reported.clear();
        }
        if (entered instanceof Stopped s) {
            owner.stopped(this, s);
        }
        // Whoever waits for an operation must see the state it brought.
        completeAfter.forEach(f -> f.complete(null));
        completeAfter.clear();
    }

    /** The state entered, or null when {@code m} changed nothing. */
    private State transit(Message m) {
        State before = state;
        State after;
        try {
            after = before.on(this, m);
        } catch (RuntimeException e) {
            // A bug of ours: this replica is lost, but its process must not be, nor the supervisor.
            liveProcess().ifPresent(c -> c.signalGroup(Signal.KILL));
            report(new LifecycleEvent.InternalError(Instant.now(), id + ": " + e));
            after = stop(StopReason.INTERNAL_ERROR, e.toString(), before.history());
        }
        if (after == before) {
            return null;
        }
        state = after;
        return after;
    }

    // Each handler: the messages that mean something in its state, then "anything else changes
    // nothing" (the state itself).

    private State pending(Pending p, Message m) {
        if (m instanceof Begin) {
            return begin(p.history());
        }
        if (m instanceof Shutdown) {
            return stop(StopReason.SHUTDOWN, "supervisor shutting down", p.history());
        }
        if (m instanceof Operator o) {
            return o.op() == Operator.Op.STOP ? done(o, stop(StopReason.OPERATOR, o.origin(), p.history()))
                    : done(o, p); // it starts with the others
        }
        return p;
    }

    private State waiting(Waiting w, Message m) {
        if (m instanceof DependenciesSettled d) {
            return settled(d.gate(), w.history());
        }
        if (m instanceof Shutdown) {
            return stop(StopReason.SHUTDOWN, "supervisor shutting down", w.history());
        }
        if (m instanceof Operator o) {
            return o.op() == Operator.Op.STOP ? done(o, stop(StopReason.OPERATOR, o.origin(), w.history()))
                    : done(o, w); // it starts once its dependencies allow
        }
        return w;
    }

    private State running(Running r, Message m) {
        if (m instanceof LivenessFailed l && l.child() == r.child()) {
            return stopProcess(r, After.of(After.Kind.LIVENESS, "liveness probe", null));
        }
        if (m instanceof Exited e && e.child() == r.child()) {
            return ended(exited(r.child(), e.status(), r.startedNanos(), r.history()), e.status(), r.begunNanos());
        }
        if (m instanceof ExitUnknown e && e.child() == r.child()) {
            throw new IllegalStateException("exit of " + id + " not reported: " + e.error(), e.error());
        }
        if (m instanceof Shutdown) {
            return stopProcess(r, After.of(After.Kind.SHUTDOWN, "shutdown", null));
        }
        if (m instanceof Operator o) {
            return switch (o.op()) {
                case STOP -> stopProcess(r, After.of(After.Kind.OPERATOR_STOP, o.origin(), o.done()));
                case RESTART -> stopProcess(r, After.of(After.Kind.RESTART, o.origin(), o.done()));
                case START -> done(o, r);
            };
        }
        return r;
    }

    private State deciding(Deciding d, Message m) {
        if (m instanceof Decided x && x.which() == d) {
            return decided(d.history(), x);
        }
        if (m instanceof Shutdown) {
            return stop(StopReason.SHUTDOWN, "supervisor shutting down", d.history());
        }
        if (m instanceof Operator o) {
            return switch (o.op()) {
                case STOP -> done(o, stop(StopReason.OPERATOR, o.origin(), d.history()));
                case RESTART -> done(o, spawn(d.history().fresh()));
                case START -> done(o, d);
            };
        }
        return d;
    }

    private State backoff(Backoff b, Message m) {
        if (m instanceof DelayElapsed t && t.token() == b.token()) {
            return spawn(b.history());
        }
        if (m instanceof Shutdown) {
            b.timer().cancel();
            return stop(StopReason.SHUTDOWN, "supervisor shutting down", b.history());
        }
        if (m instanceof Operator o) {
            if (o.op() == Operator.Op.START) {
                return done(o, b);
            }
            b.timer().cancel();
            return o.op() == Operator.Op.STOP ? done(o, stop(StopReason.OPERATOR, o.origin(), b.history()))
                    : done(o, spawn(b.history().fresh()));
        }
        return b;
    }

    private State stopping(Stopping s, Message m) {
        if (m instanceof Exited e && e.child() == s.child()) {
            return remnants(s.leaderGone(exited(s.child(), e.status(), s.startedNanos(), s.history())));
        }
        if (m instanceof ExitUnknown e && e.child() == s.child()) {
            throw new IllegalStateException("exit of " + id + " not reported: " + e.error(), e.error());
        }
        if (m instanceof StopTimeout t && t.child() == s.child() && !s.killed()) {
            report(new LifecycleEvent.StopEscalated(Instant.now(), id.toString(), service.stopSignal(),
                    service.stopTimeout(), s.leaderExited()));
            s.child().signalGroup(Signal.KILL);
            // Once the leader is gone, SIGKILL to the rest of its group is the end: nothing to wait for.
            return s.leaderExited() ? afterStop(s) : s.afterKill();
        }
        if (m instanceof RemnantCheck t && t.child() == s.child()) {
            return remnants(s);
        }
        if (m instanceof Killed) {
            return s.afterKill();
        }
        if (m instanceof Shutdown) {
            // Shutdown wins over what an operator asked: nothing starts again, but its waiters are told.
            return s.with(s.after().then(After.Kind.SHUTDOWN, s.after().origin(), null));
        }
        if (m instanceof Operator o) {
            After.Kind now = s.after().kind();
            After.Kind next = o.op() == Operator.Op.STOP
                    ? (now == After.Kind.RESTART || now == After.Kind.LIVENESS ? After.Kind.OPERATOR_STOP : now)
                    : (now == After.Kind.SHUTDOWN ? After.Kind.SHUTDOWN : After.Kind.RESTART);
            return s.with(s.after().then(next, o.origin(), o.done()));
        }
        return s;
    }

    private State stopped(Stopped s, Message m) {
        if (!(m instanceof Operator o)) {
            return s;
        }
        if (o.op() == Operator.Op.STOP) {
            return done(o, s);
        }
        if (owner.shuttingDown()) {
            o.done().completeExceptionally(new IllegalStateException("the supervisor is shutting down"));
            return s;
        }
        return done(o, spawn(s.history().fresh()));
    }

    /** Once the leader has exited: wait for the rest of its group, until the stop timeout's tick. */
    private State remnants(Stopping s) {
        if (s.killed() || !s.child().groupRemains()) {
            return afterStop(s);
        }
        ChildProcess c = s.child();
        timer.schedule(REMNANT_POLL, () -> post(new RemnantCheck(c)));
        return s;
    }

    private State afterStop(Stopping s) {
        s.timer().cancel();
        History h = s.history();
        State next = switch (s.after().kind()) {
            case SHUTDOWN -> stop(StopReason.SHUTDOWN, "supervisor shutting down", h);
            case OPERATOR_STOP -> stop(StopReason.OPERATOR, s.after().origin(), h);
            case RESTART -> spawn(h.fresh());
            case LIVENESS -> ended(h, h.lastExit(), s.startedNanos());
        };
        completeAfter.addAll(s.after().waiting());
        return next;
    }

    /** The first run, once its dependencies allow: at once, or from Waiting. */
    private State begin(History h) {
        CompletableFuture<Gate> gate = link.awaitDependencies();
        if (gate.isDone()) {
            return settled(gate.join(), h);
        }
        gate.thenAccept(g -> post(new DependenciesSettled(g)));
        return new Waiting(h);
    }

    private State settled(Gate gate, History h) {
        return gate instanceof Gate.Failed f ? stop(StopReason.DEPENDENCY, f.detail(), h) : spawn(h);
    }

    /** Starts a run: Running, or (spawn failed) the policy decides as for an exit with code 127. */
    private State spawn(History h) {
        if (owner.shuttingDown()) {
            return stop(StopReason.SHUTDOWN, "supervisor shutting down", h);
        }
        long begun = System.nanoTime();
        Environment env = environment.with("CARNIVAL_RESTART_COUNT", Integer.toString(h.run() - 1));
        ChildProcess child;
        try {
            child = control.spawn(new SpawnRequest(argv, env, service.workingDir(), stdout, stderr));
        } catch (SpawnException e) {
            report(new LifecycleEvent.SpawnFailed(Instant.now(), id, e.getMessage()));
            return ended(h.exited(SPAWN_FAILED), SPAWN_FAILED, begun);
        }
        long started = System.nanoTime();
        report(new LifecycleEvent.ProcessStarted(Instant.now(), id, child.pid(), h.run() - 1));
        // Posted from the reaper's thread: it must only queue, never handle (see ChildProcess.onExit).
        child.onExit().whenComplete((status, error) ->
                post(error == null ? new Exited(child, status) : new ExitUnknown(child, error)));
        link.started(env, () -> post(new LivenessFailed(child)));
        return new Running(child, begun, started, h);
    }

    private History exited(ChildProcess child, ExitStatus status, long startedNanos, History h) {
        Duration uptime = startedNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startedNanos);
        report(new LifecycleEvent.ProcessExited(Instant.now(), id, child.pid(), status, uptime));
        link.exited(status);
        return h.exited(status);
    }

    /**
     * A run ended: unless shutting down, the policy decides once the mailbox is free again (it is
     * plugin code, and may block: a stuck policy must not keep shutdown from this replica).
     */
    private State ended(History h, ExitStatus status, long begunNanos) {
        if (owner.shuttingDown()) {
            return stop(StopReason.SHUTDOWN, "supervisor shutting down", h);
        }
        Deciding d = new Deciding(h);
        RunOutcome outcome = new RunOutcome(id, h.run(), status, Duration.ofNanos(System.nanoTime() - begunNanos),
                service.restartDelay(), service.successExitCodes());
        mailbox.afterDrain(() -> {
            try {
                return new Decided(d, policy.decide(outcome), null);
            } catch (RuntimeException e) {
                return new Decided(d, null, e);
            }
        });
        return d;
    }

    private State decided(History h, Decided x) {
        if (x.error() != null) {
            return stop(StopReason.POLICY_ERROR, x.error().toString(), h);
        }
        if (x.decision() instanceof RestartDecision.Stop s) {
            return stop(StopReason.POLICY, s.reason(), h);
        }
        RestartDecision.Restart r = (RestartDecision.Restart) x.decision(); // the other of the two
        if (service.restartLimit() > 0 && h.run() >= service.restartLimit()) {
            return stop(StopReason.RESTART_LIMIT, Integer.toString(service.restartLimit()), h);
        }
        report(new LifecycleEvent.RestartScheduled(Instant.now(), id, h.run(), r.delay()));
        if (r.delay().isZero()) {
            return spawn(h.nextRun());
        }
        Object token = new Object();
        Cancellable t = timer.schedule(r.delay(), () -> post(new DelayElapsed(token)));
        return new Backoff(token, t, h.nextRun());
    }

    /** Sends the stop signal; SIGKILL follows after the stop timeout unless the group is gone. */
    private State stopProcess(Running r, After after) {
        ChildProcess c = r.child();
        link.stopping(); // probes stop before the process is stopped
        c.signalGroup(service.stopSignal());
        Cancellable t = timer.schedule(service.stopTimeout(), () -> post(new StopTimeout(c)));
        return new Stopping(c, r.startedNanos(), after, false, false, t, r.history());
    }

    private Stopped stop(StopReason reason, String detail, History h) {
        link.stoppedForGood();
        report(new LifecycleEvent.ReplicaStopped(Instant.now(), id, reason, detail));
        return new Stopped(reason, detail, h);
    }

    private State done(Operator o, State next) {
        completeAfter.add(o.done());
        return next;
    }

    private void report(LifecycleEvent event) {
        reported.add(event);
    }
}

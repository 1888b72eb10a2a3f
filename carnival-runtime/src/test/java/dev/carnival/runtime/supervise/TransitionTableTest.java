package dev.carnival.runtime.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.Condition;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RunOutcome;
import dev.carnival.runtime.depend.Dependencies.Gate;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.supervise.Life.After;
import dev.carnival.runtime.supervise.Life.History;
import dev.carnival.runtime.supervise.Message.Operator;
import dev.carnival.runtime.supervise.Message.Timer;
import dev.carnival.runtime.supervise.Transition.Now;
import dev.carnival.runtime.supervise.Transition.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The replica's transition as a table: for every state and every message, the next state and the
 * effects, in order. Pure: no threads, no processes, a fixed clock. {@link #everyStateMeetsEveryMessage}
 * fails when a pair is missing from the table; each row is its own test.
 */
class TransitionTableTest {
    private static final ReplicaId ID = new ReplicaId("web", 0);
    private static final ServiceConfig SERVICE = ServiceConfig.builder("web", "true")
            .restartDelay(Duration.ofSeconds(1)).stopTimeout(Duration.ofSeconds(10)).restartLimit(5).build();
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final long N = 10_000_000_000L;
    private static final Now NOW = new Now() {
        @Override
        public Instant instant() {
            return T;
        }

        @Override
        public long nanoTime() {
            return N;
        }
    };
    private static final ChildProcess CHILD = new Paper(42);
    private static final ChildProcess NEW_CHILD = new Paper(43);
    private static final ExitStatus LAST = ExitStatus.exited(3);
    /** The second run, after one restart. */
    private static final History H = new History(2, 1, LAST, false);
    private static final String SHUTTING_DOWN = "supervisor shutting down";

    private static final CompletableFuture<Void> DONE = new CompletableFuture<>();
    private static final CompletableFuture<Void> EARLIER = new CompletableFuture<>();
    private static final CompletableFuture<Boolean> SENT = new CompletableFuture<>();

    // One state of each kind.
    private static final Life PENDING = new Life.Pending(H);
    private static final Life WAITING = new Life.Waiting(H);
    private static final Life STARTING = new Life.Starting(Life.Kind.BACKOFF, H);
    private static final Life.Running RUNNING = new Life.Running(CHILD, 1_000, 2_000, H);
    private static final Life DECIDING = new Life.Deciding(H);
    private static final Life BACKOFF = new Life.Backoff(H);
    private static final Life.Stopping STOPPING = new Life.Stopping(CHILD, 2_000,
            After.of(After.Then.OPERATOR_STOP, "op", EARLIER), false, false, H);
    private static final Life STOPPED = new Life.Stopped(StopReason.OPERATOR, "op", H);

    // One message of each kind (and variants where the kind alone does not say what happens).
    private static final Message BEGIN = new Message.Begin();
    private static final Message OPEN = new Message.DependenciesSettled(0, new Gate.Open());
    private static final Message DEPENDENCY_FAILED = new Message.DependenciesSettled(0,
            new Gate.Failed("db", Condition.READY, "db[0] exited with code 3", 3));
    private static final Message SPAWNED = new Message.Spawned(0, NEW_CHILD, 5_000, 6_000);
    private static final Message SPAWN_FAILED = new Message.SpawnFailed(0, "no such file", 5_000);
    private static final Message EXITED = new Message.Exited(0, ExitStatus.exited(1));
    private static final Message EXIT_UNKNOWN = new Message.ExitUnknown(0, "closed");
    private static final Message LIVENESS_FAILED = new Message.LivenessFailed(0);
    private static final Message RESTART_IN_1S = new Message.Decided(0,
            RestartDecision.restartAfter(Duration.ofSeconds(1)), null);
    private static final Message DELAY_OVER = new Message.Timeout(0, Timer.RESTART_DELAY);
    private static final Message STOP_TIMEOUT = new Message.Timeout(0, Timer.STOP_TIMEOUT);
    private static final Message REMNANT_CHECK = new Message.Timeout(0, Timer.REMNANT_CHECK);
    private static final Message GROUP_GONE = new Message.GroupChecked(0, false);
    private static final Message GROUP_REMAINS = new Message.GroupChecked(0, true);
    private static final Message SHUTDOWN_REQUESTED = new Message.ShutdownRequested();
    private static final Message SHUTDOWN = new Message.Shutdown();
    private static final Message KILL = new Message.Kill();
    private static final Message HUP = new Message.Forward(Signal.HUP, SENT);
    private static final Message OP_STOP = new Operator(Operator.Op.STOP, "test", DONE);
    private static final Message OP_START = new Operator(Operator.Op.START, "test", DONE);
    private static final Message OP_RESTART = new Operator(Operator.Op.RESTART, "test", DONE);
    private static final Message FIRE = new Message.Fire(T);
    private static final Message SIDE_EXITED = new Message.SideExited(CHILD, ExitStatus.exited(0));
    private static final Message SIDE_TIMEOUT = new Message.SideTimeout(CHILD);
    private static final Life SCHEDULED = new Life.Scheduled(H);
    /** Taken by the driver; the transition never acts on it. */
    private static final Message RECONFIGURE = new Message.Reconfigure(null, true, DONE);

    private final Transition transition = new Transition(ID, SERVICE);

    private record Row(Life state, Message message, Step expected) {
        String name() {
            return state.kind() + " + " + message.kind() + ": " + message;
        }
    }

    private static final List<Row> TABLE = new ArrayList<>();

    private static void row(Life state, Message message, Step expected) {
        TABLE.add(new Row(state, message, expected));
    }

    /** {@code message} changes nothing in {@code state} and does nothing. */
    private static void ignores(Life state, Message... messages) {
        for (Message m : messages) {
            row(state, m, new Step(state, false, List.of()));
        }
    }

    private static Step enter(Life next, Effect... effects) {
        return new Step(next, true, List.of(effects));
    }

    private static Step stay(Life next, Effect... effects) {
        return new Step(next, false, List.of(effects));
    }

    /** Stopped for good, after {@code first}. */
    private static Step stopped(StopReason reason, String detail, History h, Effect... first) {
        Life.Stopped s = new Life.Stopped(reason, detail, h);
        List<Effect> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(new Effect.LinkStopped(),
                publish(new LifecycleEvent.ReplicaStopped(T, ID, reason, detail)), new Effect.OwnerStopped(s)));
        return new Step(s, true, all);
    }

    private static Step spawning(Life.Kind from, History h, Effect... first) {
        List<Effect> all = new ArrayList<>(List.of(first));
        all.add(new Effect.Spawn(h.run() - 1));
        return new Step(new Life.Starting(from, h), true, all);
    }

    private static Step deciding(History h, ExitStatus status, long begun, Effect... first) {
        List<Effect> all = new ArrayList<>(List.of(first));
        all.add(new Effect.Decide(new RunOutcome(ID, h.run(), status, Duration.ofNanos(N - begun),
                Duration.ofSeconds(1), SERVICE.successExitCodes())));
        return new Step(new Life.Deciding(h), true, all);
    }

    private static Step stopping(After after) {
        return enter(new Life.Stopping(CHILD, 2_000, after, false, false, H), new Effect.ProbesStop(),
                new Effect.SignalGroup(CHILD, Signal.TERM), new Effect.StartTimer(Timer.STOP_TIMEOUT,
                        Duration.ofSeconds(10)), new Effect.WatchExit(CHILD));
    }

    private static Effect.Publish publish(LifecycleEvent e) {
        return new Effect.Publish(e);
    }

    private static Effect reply() {
        return new Effect.Reply(DONE, null);
    }

    private static Effect notSent() {
        return new Effect.Answer(SENT, false);
    }

    private static Effect.Publish processExited(ExitStatus status) {
        return publish(new LifecycleEvent.ProcessExited(T, ID, 42, status, Duration.ofNanos(N - 2_000)));
    }

    static {
        // ---- Pending: before the init commands are done ----
        row(PENDING, BEGIN, enter(WAITING, new Effect.AwaitDependencies()));
        row(PENDING, SHUTDOWN, stopped(StopReason.SHUTDOWN, SHUTTING_DOWN, H));
        row(PENDING, SHUTDOWN_REQUESTED, stay(new Life.Pending(H.closed())));
        row(PENDING, OP_STOP, stopped(StopReason.OPERATOR, "test", H, reply()));
        row(PENDING, OP_START, stay(PENDING, reply()));
        row(PENDING, HUP, stay(PENDING, notSent()));
        ignores(PENDING, OPEN, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, RESTART_IN_1S,
                DELAY_OVER, GROUP_GONE, KILL, RECONFIGURE);

        // ---- Waiting: for the dependencies ----
        row(WAITING, OPEN, spawning(Life.Kind.WAITING, H));
        row(WAITING, DEPENDENCY_FAILED, stopped(StopReason.DEPENDENCY, "db[0] exited with code 3", H,
                publish(new LifecycleEvent.DependencyFailed(T, ID, "db", "db[0] exited with code 3"))));
        // Issue 29: the shutdown stopped the dependency; that is no dependency failure.
        row(new Life.Waiting(H.closed()), DEPENDENCY_FAILED, stopped(StopReason.SHUTDOWN, SHUTTING_DOWN, H.closed()));
        row(new Life.Waiting(H.closed()), OPEN, stopped(StopReason.SHUTDOWN, SHUTTING_DOWN, H.closed()));
        row(WAITING, SHUTDOWN, stopped(StopReason.SHUTDOWN, SHUTTING_DOWN, H));
        row(WAITING, SHUTDOWN_REQUESTED, stay(new Life.Waiting(H.closed())));
        row(WAITING, OP_STOP, stopped(StopReason.OPERATOR, "test", H, reply()));
        row(WAITING, OP_RESTART, stay(WAITING, reply()));
        row(WAITING, HUP, stay(WAITING, notSent()));
        ignores(WAITING, BEGIN, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, RESTART_IN_1S,
                DELAY_OVER, GROUP_GONE, KILL, RECONFIGURE);

        // ---- Starting: the driver spawns ----
        row(STARTING, SPAWNED, enter(new Life.Running(NEW_CHILD, 5_000, 6_000, H),
                publish(new LifecycleEvent.ProcessStarted(T, ID, 43, 1)), new Effect.WatchExit(NEW_CHILD),
                new Effect.ProbesStart()));
        row(STARTING, SPAWN_FAILED, deciding(H.exited(ExitStatus.exited(127)), ExitStatus.exited(127), 5_000,
                publish(new LifecycleEvent.SpawnFailed(T, ID, "no such file"))));
        row(STARTING, SHUTDOWN_REQUESTED, stay(new Life.Starting(Life.Kind.BACKOFF, H.closed())));
        row(STARTING, OP_STOP, stay(STARTING, reply()));
        row(STARTING, HUP, stay(STARTING, notSent()));
        ignores(STARTING, BEGIN, OPEN, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, RESTART_IN_1S, DELAY_OVER, GROUP_GONE,
                SHUTDOWN, KILL, RECONFIGURE);

        // ---- Running ----
        ExitStatus one = ExitStatus.exited(1);
        row(RUNNING, EXITED, deciding(H.exited(one), one, 1_000, processExited(one), new Effect.LinkExited(one)));
        row(new Life.Running(CHILD, 1_000, 2_000, H.closed()), EXITED, stopped(StopReason.SHUTDOWN, SHUTTING_DOWN,
                H.closed().exited(one), processExited(one), new Effect.LinkExited(one)));
        row(RUNNING, EXIT_UNKNOWN, stopped(StopReason.INTERNAL_ERROR, "exit of web[0] not reported: closed", H,
                publish(new LifecycleEvent.InternalError(T, "web[0]: exit of web[0] not reported: closed")),
                new Effect.SignalGroup(CHILD, Signal.KILL)));
        row(RUNNING, LIVENESS_FAILED, stopping(After.of(After.Then.LIVENESS, "liveness probe", null)));
        row(RUNNING, SHUTDOWN, stopping(After.of(After.Then.SHUTDOWN, "shutdown", null)));
        row(RUNNING, SHUTDOWN_REQUESTED, stay(new Life.Running(CHILD, 1_000, 2_000, H.closed())));
        row(RUNNING, KILL, stay(RUNNING, new Effect.SignalGroup(CHILD, Signal.KILL)));
        row(RUNNING, HUP, stay(RUNNING, new Effect.SignalGroup(CHILD, Signal.HUP), new Effect.Answer(SENT, true)));
        row(RUNNING, OP_STOP, stopping(After.of(After.Then.OPERATOR_STOP, "test", DONE)));
        row(RUNNING, OP_RESTART, stopping(After.of(After.Then.RESTART, "test", DONE)));
        row(RUNNING, OP_START, stay(RUNNING, reply()));
        ignores(RUNNING, BEGIN, OPEN, SPAWNED, SPAWN_FAILED, RESTART_IN_1S, DELAY_OVER, GROUP_GONE, RECONFIGURE);

        // ---- Deciding: the policy has the exit ----
        Effect scheduled = publish(new LifecycleEvent.RestartScheduled(T, ID, 2, Duration.ofSeconds(1)));
        row(DECIDING, RESTART_IN_1S, enter(new Life.Backoff(H.nextRun()), scheduled,
                new Effect.StartTimer(Timer.RESTART_DELAY, Duration.ofSeconds(1))));
        row(DECIDING, new Message.Decided(0, RestartDecision.restartAfter(Duration.ZERO), null),
                spawning(Life.Kind.DECIDING, H.nextRun(),
                        publish(new LifecycleEvent.RestartScheduled(T, ID, 2, Duration.ZERO))));
        row(DECIDING, new Message.Decided(0, RestartDecision.stop("restart = \"no\""), null),
                stopped(StopReason.POLICY, "restart = \"no\"", H));
        IllegalStateException boom = new IllegalStateException("boom");
        row(DECIDING, new Message.Decided(0, null, boom), stopped(StopReason.POLICY_ERROR, boom.toString(), H));
        History atLimit = new History(5, 4, LAST, false);
        row(new Life.Deciding(atLimit), RESTART_IN_1S, stopped(StopReason.RESTART_LIMIT, "5", atLimit));
        row(new Life.Deciding(H.closed()), RESTART_IN_1S, stopped(StopReason.SHUTDOWN, SHUTTING_DOWN, H.closed()));
        row(DECIDING, SHUTDOWN, stopped(StopReason.SHUTDOWN, SHUTTING_DOWN, H));
        row(DECIDING, SHUTDOWN_REQUESTED, stay(new Life.Deciding(H.closed())));
        row(DECIDING, OP_STOP, stopped(StopReason.OPERATOR, "test", H, reply()));
        row(DECIDING, OP_RESTART, spawning(Life.Kind.DECIDING, H.fresh(), reply()));
        row(DECIDING, OP_START, stay(DECIDING, reply()));
        row(DECIDING, HUP, stay(DECIDING, notSent()));
        ignores(DECIDING, BEGIN, OPEN, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, DELAY_OVER,
                GROUP_GONE, KILL, RECONFIGURE);

        // ---- Backoff: the restart delay ----
        row(BACKOFF, DELAY_OVER, spawning(Life.Kind.BACKOFF, H));
        row(new Life.Backoff(H.closed()), DELAY_OVER, stopped(StopReason.SHUTDOWN, SHUTTING_DOWN, H.closed()));
        row(BACKOFF, SHUTDOWN, stopped(StopReason.SHUTDOWN, SHUTTING_DOWN, H));
        row(BACKOFF, SHUTDOWN_REQUESTED, stay(new Life.Backoff(H.closed())));
        row(BACKOFF, OP_STOP, stopped(StopReason.OPERATOR, "test", H, reply()));
        row(BACKOFF, OP_RESTART, spawning(Life.Kind.BACKOFF, H.fresh(), reply()));
        row(BACKOFF, OP_START, stay(BACKOFF, reply()));
        row(BACKOFF, HUP, stay(BACKOFF, notSent()));
        ignores(BACKOFF, BEGIN, OPEN, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, RESTART_IN_1S,
                GROUP_GONE, KILL, RECONFIGURE);

        // ---- Stopping: the stop signal went out ----
        ExitStatus term = ExitStatus.killed(Signal.TERM.number());
        Life.Stopping leaderGone = STOPPING.leaderGone(H.exited(term));
        row(STOPPING, new Message.Exited(0, term), stay(leaderGone, processExited(term),
                new Effect.LinkExited(term), new Effect.CheckGroup(CHILD)));
        row(STOPPING.afterKill(), new Message.Exited(0, term), stopped(StopReason.OPERATOR, "op", H.exited(term),
                processExited(term), new Effect.LinkExited(term), new Effect.Reply(EARLIER, null)));
        row(leaderGone, GROUP_GONE, stopped(StopReason.OPERATOR, "op", H.exited(term),
                new Effect.Reply(EARLIER, null)));
        row(leaderGone, GROUP_REMAINS, stay(leaderGone,
                new Effect.StartTimer(Timer.REMNANT_CHECK, Duration.ofMillis(20))));
        row(leaderGone, REMNANT_CHECK, stay(leaderGone, new Effect.CheckGroup(CHILD)));
        row(leaderGone.afterKill(), REMNANT_CHECK, stopped(StopReason.OPERATOR, "op", H.exited(term),
                new Effect.Reply(EARLIER, null)));
        row(STOPPING, STOP_TIMEOUT, stay(STOPPING.afterKill(),
                publish(new LifecycleEvent.StopEscalated(T, "web[0]", Signal.TERM, Duration.ofSeconds(10), false)),
                new Effect.SignalGroup(CHILD, Signal.KILL)));
        row(leaderGone, STOP_TIMEOUT, stopped(StopReason.OPERATOR, "op", H.exited(term),
                publish(new LifecycleEvent.StopEscalated(T, "web[0]", Signal.TERM, Duration.ofSeconds(10), true)),
                new Effect.SignalGroup(CHILD, Signal.KILL), new Effect.Reply(EARLIER, null)));
        row(STOPPING.afterKill(), STOP_TIMEOUT, stay(STOPPING.afterKill()));
        row(STOPPING, DELAY_OVER, stay(STOPPING));
        row(STOPPING, EXIT_UNKNOWN, stopped(StopReason.INTERNAL_ERROR, "exit of web[0] not reported: closed", H,
                publish(new LifecycleEvent.InternalError(T, "web[0]: exit of web[0] not reported: closed")),
                new Effect.SignalGroup(CHILD, Signal.KILL)));
        row(STOPPING, KILL, stay(STOPPING.afterKill(), new Effect.SignalGroup(CHILD, Signal.KILL)));
        row(STOPPING.afterKill(), KILL, stay(STOPPING.afterKill()));
        row(STOPPING, SHUTDOWN, stay(STOPPING.with(new After(After.Then.SHUTDOWN, "op", List.of(EARLIER)))));
        row(STOPPING, SHUTDOWN_REQUESTED, stay(STOPPING.closing()));
        row(STOPPING, OP_START, stay(STOPPING.with(new After(After.Then.RESTART, "test", List.of(EARLIER, DONE)))));
        Life.Stopping restarting = STOPPING.with(After.of(After.Then.RESTART, "op", EARLIER));
        row(restarting, OP_STOP, stay(STOPPING.with(new After(After.Then.OPERATOR_STOP, "test",
                List.of(EARLIER, DONE)))));
        row(restarting.leaderGone(H.exited(term)), GROUP_GONE, spawning(Life.Kind.STOPPING, H.exited(term).fresh(),
                new Effect.Reply(EARLIER, null)));
        Life.Stopping unlive = new Life.Stopping(CHILD, 2_000, After.of(After.Then.LIVENESS, "liveness probe", null),
                true, false, H.exited(term));
        row(unlive, GROUP_GONE, deciding(H.exited(term), term, 2_000));
        row(STOPPING.with(After.of(After.Then.SHUTDOWN, "shutdown", null)).leaderGone(H.exited(term)), GROUP_GONE,
                stopped(StopReason.SHUTDOWN, SHUTTING_DOWN, H.exited(term)));
        row(STOPPING, HUP, stay(STOPPING, new Effect.SignalGroup(CHILD, Signal.HUP), new Effect.Answer(SENT, true)));
        row(leaderGone, HUP, stay(leaderGone, notSent()));
        ignores(STOPPING, BEGIN, OPEN, SPAWNED, SPAWN_FAILED, LIVENESS_FAILED, RESTART_IN_1S, RECONFIGURE);

        // ---- Stopped: for good, until an operator starts it ----
        // Issue 29: an operator's start waits for the dependencies as the first start did.
        row(STOPPED, OP_START, enter(new Life.Waiting(H.fresh()), new Effect.AwaitDependencies(), reply()));
        row(STOPPED, OP_RESTART, enter(new Life.Waiting(H.fresh()), new Effect.AwaitDependencies(), reply()));
        Life closedStop = new Life.Stopped(StopReason.OPERATOR, "op", H.closed());
        row(closedStop, OP_START, stay(closedStop, new Effect.Reply(DONE, "the supervisor is shutting down")));
        row(STOPPED, OP_STOP, stay(STOPPED, reply()));
        row(STOPPED, SHUTDOWN_REQUESTED, stay(closedStop));
        row(STOPPED, HUP, stay(STOPPED, notSent()));
        ignores(STOPPED, BEGIN, OPEN, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, RESTART_IN_1S,
                DELAY_OVER, GROUP_GONE, SHUTDOWN, KILL, RECONFIGURE);

        // A service that is no job ignores a firing; side runs are the driver's, never the transition's.
        for (Life s : List.of(PENDING, WAITING, STARTING, RUNNING, DECIDING, BACKOFF, STOPPING, STOPPED)) {
            ignores(s, FIRE, SIDE_EXITED, SIDE_TIMEOUT);
        }

        // scheduled (a job between runs; JobTransitionTest has a job's own rows)
        row(SCHEDULED, FIRE, enter(new Life.Waiting(H.fresh()), new Effect.AwaitDependencies()));
        row(SCHEDULED, OP_START, enter(new Life.Waiting(H.fresh()), new Effect.AwaitDependencies(), reply()));
        row(SCHEDULED, OP_RESTART, enter(new Life.Waiting(H.fresh()), new Effect.AwaitDependencies(), reply()));
        row(SCHEDULED, OP_STOP, stopped(StopReason.OPERATOR, "test", H, reply()));
        row(SCHEDULED, SHUTDOWN, stopped(StopReason.SHUTDOWN, SHUTTING_DOWN, H));
        row(SCHEDULED, SHUTDOWN_REQUESTED, stay(new Life.Scheduled(H.closed())));
        row(SCHEDULED, HUP, stay(SCHEDULED, notSent()));
        ignores(SCHEDULED, BEGIN, OPEN, SPAWNED, SPAWN_FAILED, EXITED, EXIT_UNKNOWN, LIVENESS_FAILED, RESTART_IN_1S,
                DELAY_OVER, GROUP_GONE, KILL, SIDE_EXITED, SIDE_TIMEOUT, RECONFIGURE);
    }

    @TestFactory
    Stream<DynamicTest> eachRow() {
        return TABLE.stream().map(r -> DynamicTest.dynamicTest(r.name(),
                () -> assertEquals(r.expected(), transition.next(r.state(), r.message(), NOW), r.name())));
    }

    @Test
    void everyStateMeetsEveryMessage() {
        Set<String> missing = new TreeSet<>();
        for (Life.Kind s : Life.Kind.values()) {
            for (Message.Kind m : Message.Kind.values()) {
                if (TABLE.stream().noneMatch(r -> r.state().kind() == s && r.message().kind() == m)) {
                    missing.add(s + " + " + m);
                }
            }
        }
        assertEquals(Set.of(), missing, "pairs the table does not cover");
    }

    /** Each record says the kind its name says: the transition's casts rely on it. */
    @Test
    void eachRecordReturnsItsOwnKind() {
        Set<Life.Kind> states = EnumSet.noneOf(Life.Kind.class);
        Set<Message.Kind> messages = EnumSet.noneOf(Message.Kind.class);
        for (Row r : TABLE) {
            assertEquals(kindName(r.state().getClass()), r.state().kind().name());
            assertEquals(kindName(r.message().getClass()), r.message().kind().name());
            states.add(r.state().kind());
            messages.add(r.message().kind());
        }
        assertEquals(EnumSet.allOf(Life.Kind.class), states);
        assertEquals(EnumSet.allOf(Message.Kind.class), messages);
        assertEquals(Life.Kind.values().length, Life.class.getPermittedSubclasses().length);
        assertEquals(Message.Kind.values().length, Message.class.getPermittedSubclasses().length
                - 1 + Message.Armed.class.getPermittedSubclasses().length);
        for (Class<?> effect : Effect.class.getPermittedSubclasses()) {
            assertEquals(true, Arrays.stream(Effect.Kind.values()).anyMatch(k -> k.name().equals(kindName(effect))),
                    effect.getName());
        }
        assertEquals(Effect.Kind.values().length, Effect.class.getPermittedSubclasses().length);
    }

    private static String kindName(Class<?> type) {
        return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** A process on paper: only its pid matters here. */
    private record Paper(long pid) implements ChildProcess {
        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return new CompletableFuture<>();
        }

        @Override
        public void signalGroup(Signal signal) {
            throw new AssertionError("a transition never signals");
        }
    }
}

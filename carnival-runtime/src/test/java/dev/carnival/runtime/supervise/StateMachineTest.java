package dev.carnival.runtime.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.Operation;
import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.Condition;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RunOutcome;
import dev.carnival.runtime.compose.Assembly;
import dev.carnival.runtime.compose.Plan;
import dev.carnival.runtime.compose.Preflight;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.process.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The replica state machine, driven deterministically: processes exist only on paper
 * ({@link FakeProcessControl}) and exit when the test says; time moves only when the test
 * advances the {@link ManualTimer}; mailboxes and policies run on the thread that posts. No
 * {@code sh}, no sleeps: every transition is checked the moment it was caused.
 *
 * <p>Every mailbox and every policy call runs on the test's thread, when the test drains the
 * {@link ManualExecutor}: {@link #exit}, {@link #advance} and {@link #settle} do.
 */
class StateMachineTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final FakeProcessControl control = new FakeProcessControl();
    private final ManualTimer timer = new ManualTimer();
    private final ManualExecutor executor = new ManualExecutor();
    private final Recorder recorder = new Recorder();
    private final List<RunOutcome> decided = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, RestartPolicy> policies = new HashMap<>();
    private CarnivalSupervisor supervisor;

    @AfterEach
    void finish() throws InterruptedException {
        if (supervisor != null) {
            supervisor.requestShutdown("test over");
            control.spawned().forEach(c -> exit(c, ExitStatus.killed(Signal.TERM.number())));
            advance(Duration.ofDays(1));
            supervisor.await(Await.DEADLINE);
        }
    }

    private static ServiceConfig.Builder service(String name) {
        return ServiceConfig.builder(name, "true").restartDelay(SECOND).stopTimeout(Duration.ofSeconds(10));
    }

    private RestartPolicy always() {
        return o -> {
            decided.add(o);
            return RestartDecision.restartAfter(o.configuredDelay());
        };
    }

    private RestartPolicy never() {
        return o -> {
            decided.add(o);
            return RestartDecision.stop("restart = \"no\"");
        };
    }

    /** Starts a supervisor and waits until it has run its first processes. */
    private CarnivalSupervisor start(Duration shutdownTimeout, ServiceConfig... services) {
        CarnivalConfig config = new CarnivalConfig(new GlobalConfig(shutdownTimeout, false), List.of(),
                List.of(services));
        for (ServiceConfig s : services) {
            policies.putIfAbsent(s.name(), always());
        }
        Plan plan = new Plan(config, policies, Preflight.of(config, new SourceMap("test", Map.of())));
        supervisor = Assembly.of(plan, control)
                .listeners(List.of(new Plugin<>("listener", "recorder", recorder, "test", "embedder")))
                .clock(timer, executor)
                .build();
        supervisor.start();
        // The supervisor's thread posts each replica its first message; the test's thread handles them.
        int replicas = config.services().stream().mapToInt(ServiceConfig::replicas).sum();
        Await.until("first runs posted", () -> executor.queued() == replicas);
        settle();
        return supervisor;
    }

    /** Handles everything posted so far, on this thread. */
    private void settle() {
        executor.runAll();
    }

    /** {@code child} exits, as the reaper would report it; then the replica handles it. */
    private void exit(FakeProcessControl.Child child, ExitStatus status) {
        child.exit(status);
        settle();
    }

    private void advance(Duration by) {
        timer.advance(by);
        settle();
    }

    private void shutdown() {
        supervisor.requestShutdown("test");
        settle();
    }

    private CompletableFuture<Void> operate(Message.Operator.Op op, String target) {
        CompletableFuture<Void> done = supervisor.perform(switch (op) {
            case STOP -> new Operation.Stop(target, Operation.Origin.API);
            case START -> new Operation.Start(target, Operation.Origin.API);
            case RESTART -> new Operation.Restart(target, Operation.Origin.API);
        });
        settle();
        return done;
    }

    private CarnivalSupervisor start(ServiceConfig... services) {
        return start(Duration.ofSeconds(10), services);
    }

    private ReplicaStatus replica(int index) {
        return supervisor.status().replicas().get(index);
    }

    private <T extends LifecycleEvent> List<T> events(Class<T> type) {
        return recorder.of(type);
    }

    private int exitCode() throws InterruptedException {
        Optional<Integer> code = supervisor.await(Await.DEADLINE);
        assertTrue(code.isPresent(), "the supervisor did not stop");
        return code.get();
    }

    @Test
    void anExitIsDecidedByThePolicyAndTheRestartWaitsOutItsDelayOnTheTimer() {
        start(service("web").build());
        FakeProcessControl.Child first = control.last();
        assertEquals(ReplicaState.RUNNING, replica(0).state());
        assertEquals(first.pid(), replica(0).pid().orElseThrow());

        exit(first, ExitStatus.exited(3));
        assertEquals(1, decided.size());
        assertEquals(new RunOutcome(replica(0).replica(), 1, ExitStatus.exited(3), decided.getFirst().uptime(), SECOND),
                decided.getFirst());
        assertEquals(ReplicaState.BACKOFF, replica(0).state());
        assertEquals(Optional.of(ExitStatus.exited(3)), replica(0).lastExit());
        assertEquals(1, control.spawned().size(), "no restart before the delay");

        advance(SECOND.minusMillis(1));
        assertEquals(ReplicaState.BACKOFF, replica(0).state());
        advance(Duration.ofMillis(1));
        assertEquals(ReplicaState.RUNNING, replica(0).state());
        assertEquals(2, control.spawned().size());
        assertEquals("1", control.last().request.environment().get("CARNIVAL_RESTART_COUNT"));
        assertEquals(1, replica(0).restartCount());
    }

    @Test
    void theRestartLimitCountsRunsAndStopsTheReplicaForGood() throws InterruptedException {
        start(service("web").restartDelay(Duration.ZERO).restartLimit(3).build());
        for (int run = 1; run <= 3; run++) {
            assertEquals(run, control.spawned().size());
            exit(control.last(), ExitStatus.exited(1));
        }
        assertEquals(ReplicaState.STOPPED, replica(0).state());
        assertEquals(Optional.of(StopReason.RESTART_LIMIT), replica(0).stopReason());
        assertEquals(3, control.spawned().size());
        assertEquals(0, exitCode(), "not critical: every service finished");
    }

    @Test
    void aCriticalServiceThatStopsForGoodShutsEverythingDownWithItsExitCode() throws InterruptedException {
        policies.put("db", never());
        start(service("db").critical(true).build(), service("web").build());
        FakeProcessControl.Child db = control.spawned().get(0);
        FakeProcessControl.Child web = control.spawned().get(1);

        exit(db, ExitStatus.exited(3));
        assertEquals(List.of(Signal.TERM), web.signals(), "the other service gets its stop signal");
        assertEquals(ReplicaState.STOPPING, replica(1).state());
        assertTrue(supervisor.await(Duration.ZERO).isEmpty(), "still waiting for web to exit");

        exit(web, ExitStatus.killed(Signal.TERM.number()));
        assertEquals(3, exitCode());
        assertEquals(1, decided.size(), "a shutdown never asks the policy");
    }

    @Test
    void aRestartDelayDiesWithItsStateAnOperatorRestartDoesNotRunTwice() throws Exception {
        start(service("web").restartDelay(Duration.ofHours(1)).build());
        exit(control.last(), ExitStatus.exited(1));
        assertEquals(ReplicaState.BACKOFF, replica(0).state());
        operate(Message.Operator.Op.RESTART, "web").get();
        assertEquals(ReplicaState.RUNNING, replica(0).state());
        assertEquals(2, control.spawned().size());
        assertEquals(0, timer.pending(), "the delay was cancelled when Backoff was left");
        advance(Duration.ofHours(2));
        assertEquals(2, control.spawned().size(), "no second start from the old delay");
    }

    @Test
    void aSignalSentWhileASpawnIsUnderWayReachesTheNewProcess() throws Exception {
        policies.put("web", o -> RestartDecision.restartAfter(Duration.ZERO));
        CarnivalConfig config = new CarnivalConfig(new GlobalConfig(Duration.ofMillis(10_000), false), List.of(),
                List.of(service("web").build()));
        supervisor = Assembly.of(new Plan(config, policies, Preflight.of(config, new SourceMap("test", Map.of()))),
                        control)
                .listeners(List.of(new Plugin<>("listener", "recorder", recorder, "test", "embedder")))
                .clock(timer, task -> Thread.ofVirtual().start(task))
                .build();
        supervisor.start();
        Await.until("running", () -> replica(0).state() == ReplicaState.RUNNING);
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        control.spawnGate = gate;
        control.last().exit(ExitStatus.exited(1));
        Await.until("the restart's spawn under way", () -> control.spawned().size() == 2);
        FakeProcessControl.Child next = control.last();
        supervisor.forward(Signal.HUP);
        gate.countDown();
        Await.until("HUP reaches the process that was being spawned", () -> next.signals().contains(Signal.HUP));
        Await.until("forwarding reported", () -> recorder.has(LifecycleEvent.SignalForwarded.class));
        assertEquals(1, events(LifecycleEvent.SignalForwarded.class).getFirst().processes());
        control.spawnGate = null;
    }

    @Test
    void aForwardedSignalIsReportedBeforeTheShutdownThatFollowsItStopsAnyReplica() throws Exception {
        policies.put("listener", always());
        CarnivalConfig config = new CarnivalConfig(new GlobalConfig(Duration.ofMillis(10_000), false), List.of(),
                List.of(service("listener").replicas(2).build()));
        // Mailboxes run on the posting thread: each replica answers before forward() posts to the next.
        supervisor = Assembly.of(new Plan(config, policies, Preflight.of(config, new SourceMap("test", Map.of()))),
                        control)
                .listeners(List.of(new Plugin<>("listener", "recorder", recorder, "test", "embedder")))
                .clock(timer, Runnable::run)
                .build();
        supervisor.start();
        Await.until("both running", () -> supervisor.status().replicas().stream()
                .allMatch(r -> r.state() == ReplicaState.RUNNING));
        List<FakeProcessControl.Child> children = control.spawned();
        for (FakeProcessControl.Child c : children) {
            c.onSignal = s -> {
                // As in OperabilityIT: once every service shows it got the signal, SIGTERM follows.
                if (s == Signal.USR1 && children.stream().allMatch(x -> x.signals().contains(Signal.USR1))) {
                    supervisor.requestShutdown("signal SIGTERM");
                } else if (s == Signal.TERM) {
                    c.exit(ExitStatus.killed(Signal.TERM.number()));
                }
            };
        }
        supervisor.forward(Signal.USR1);
        assertEquals(0, exitCode());
        List<LifecycleEvent> seen = recorder.events();
        List<LifecycleEvent> forwarded = seen.stream().filter(LifecycleEvent.SignalForwarded.class::isInstance)
                .toList();
        assertEquals(List.of(2), forwarded.stream().map(e -> ((LifecycleEvent.SignalForwarded) e).processes())
                .toList(), seen.toString());
        int lastStop = seen.indexOf(events(LifecycleEvent.ReplicaStopped.class).getLast());
        assertTrue(seen.indexOf(forwarded.getFirst()) < lastStop,
                "reported before the shutdown has stopped every replica (so before the supervisor can finish): " + seen);
    }

    @Test
    void aShutdownDuringARestartDelayEndsItAtOnceAndNothingStartsAfter() throws InterruptedException {
        start(service("web").restartDelay(Duration.ofHours(1)).build());
        exit(control.last(), ExitStatus.exited(1));
        assertEquals(ReplicaState.BACKOFF, replica(0).state());
        assertEquals(1, timer.pending());

        shutdown();
        assertEquals(0, exitCode());
        assertEquals(Optional.of(StopReason.SHUTDOWN), replica(0).stopReason());
        assertEquals(0, timer.pending(), "the restart delay was cancelled");
        advance(Duration.ofHours(2));
        assertEquals(1, control.spawned().size());
    }

    @Test
    void aReplicaThatStoppedForGoodBeforeTheShutdownDoesNotHoldItUp() throws InterruptedException {
        policies.put("job", never());
        start(service("job").build(), service("web").build());
        exit(control.spawned().getFirst(), ExitStatus.exited(0));
        assertEquals(ReplicaState.STOPPED, replica(0).state());
        shutdown();
        exit(control.spawned().get(1), ExitStatus.killed(Signal.TERM.number()));
        assertEquals(0, exitCode());
        Await.until("the stop reported", () -> recorder.has(LifecycleEvent.SupervisorStopped.class));
        assertFalse(recorder.has(LifecycleEvent.ShutdownTimedOut.class), "nothing was left running: "
                + recorder.events());
    }

    @Test
    void anExitDuringTheShutdownIsNotDecidedByThePolicy() throws InterruptedException {
        start(service("web").build());
        FakeProcessControl.Child child = control.last();
        shutdown();
        assertEquals(List.of(Signal.TERM), child.signals());
        assertEquals(ReplicaState.STOPPING, replica(0).state());

        exit(child, ExitStatus.killed(Signal.TERM.number()));
        assertEquals(0, exitCode());
        assertTrue(decided.isEmpty());
        assertEquals(Optional.of(ExitStatus.killed(Signal.TERM.number())), replica(0).lastExit());
    }

    @Test
    void aFailedSpawnCountsAsAnExitWithCode127() {
        control.failNextSpawns(1);
        start(service("web").build());
        assertEquals(1, timer.pending(), "restart scheduled");
        Await.until("spawn failure reported", () -> events(LifecycleEvent.SpawnFailed.class).size() == 1);
        assertEquals(ExitStatus.exited(127), decided.getFirst().status());
        assertEquals(ReplicaState.BACKOFF, replica(0).state());
        advance(SECOND);
        assertEquals(ReplicaState.RUNNING, replica(0).state());
    }

    @Test
    void aProcessIgnoringItsStopSignalIsKilledAtTheStopTimeoutAndThatIsAnEvent() throws InterruptedException {
        start(service("web").build());
        FakeProcessControl.Child child = control.last();
        shutdown();
        advance(Duration.ofSeconds(10).minusMillis(1));
        assertEquals(List.of(Signal.TERM), child.signals());
        advance(Duration.ofMillis(1));
        assertEquals(List.of(Signal.TERM, Signal.KILL), child.signals());
        Await.until("escalation event", () -> !events(LifecycleEvent.StopEscalated.class).isEmpty());
        LifecycleEvent.StopEscalated e = events(LifecycleEvent.StopEscalated.class).getFirst();
        assertEquals("web[0]", e.subject());
        assertFalse(e.leaderExited());
        exit(child, ExitStatus.killed(Signal.KILL.number()));
        assertEquals(0, exitCode());
    }

    @Test
    void whatOutlivesTheLeaderGetsTheRestOfTheStopTimeoutThenSigkill() throws InterruptedException {
        start(service("web").build());
        FakeProcessControl.Child child = control.last();
        child.groupRemains = true;
        shutdown();
        advance(Duration.ofSeconds(4));
        exit(child, ExitStatus.exited(0));
        assertEquals(ReplicaState.STOPPING, replica(0).state(), "its group is still there");
        advance(Duration.ofSeconds(6));
        assertEquals(List.of(Signal.TERM, Signal.KILL), child.signals());
        assertEquals(0, exitCode());
        Await.until("escalation event", () -> !events(LifecycleEvent.StopEscalated.class).isEmpty());
        assertTrue(events(LifecycleEvent.StopEscalated.class).getFirst().leaderExited());
    }

    @Test
    void anOperatorStopKeepsTheServiceStoppedAndTheSupervisorRunningUntilStart() throws Exception {
        policies.put("web", never());
        start(service("web").replicas(2).critical(true).build());
        CompletableFuture<Void> stopped = operate(Message.Operator.Op.STOP, "web");
        assertFalse(stopped.isDone(), "done only once the processes have exited");
        control.spawned().forEach(c -> assertEquals(List.of(Signal.TERM), c.signals()));
        control.spawned().forEach(c -> exit(c, ExitStatus.killed(Signal.TERM.number())));
        assertTrue(stopped.isDone());
        assertEquals(Optional.of(StopReason.OPERATOR), replica(0).stopReason());
        assertTrue(supervisor.await(Duration.ZERO).isEmpty(), "a stopped critical service keeps it running");
        assertTrue(decided.isEmpty(), "an operator stop is not the policy's business");

        operate(Message.Operator.Op.START, "web/1").get();
        assertEquals(ReplicaState.STOPPED, replica(0).state());
        assertEquals(ReplicaState.RUNNING, replica(1).state());
        assertEquals("0", control.last().request.environment().get("CARNIVAL_RESTART_COUNT"),
                "a fresh restart-limit count");
        assertEquals(1, replica(1).restartCount());
    }

    @Test
    void restartIsStopThenStartWhateverThePolicySays() throws Exception {
        policies.put("web", never());
        start(service("web").build());
        FakeProcessControl.Child first = control.last();
        CompletableFuture<Void> restarted = operate(Message.Operator.Op.RESTART, "web");
        assertEquals(List.of(Signal.TERM), first.signals());
        exit(first, ExitStatus.killed(Signal.TERM.number()));
        restarted.get();
        assertEquals(2, control.spawned().size());
        assertEquals(ReplicaState.RUNNING, replica(0).state());
        assertEquals(control.last().pid(), replica(0).pid().orElseThrow());
        assertTrue(decided.isEmpty());
    }

    @Test
    void aServiceThatFinishedForGoodCanBeStartedAgain() throws Exception {
        policies.put("job", never());
        start(service("job").build(), service("web").build());
        exit(control.spawned().getFirst(), ExitStatus.exited(0));
        assertEquals(ReplicaState.STOPPED, replica(0).state());
        operate(Message.Operator.Op.START, "job").get();
        assertEquals(ReplicaState.RUNNING, replica(0).state());
    }

    @Test
    void unknownTargetsAreNamed() {
        start(service("web").replicas(2).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> operate(Message.Operator.Op.STOP, "db"));
        assertEquals("unknown service 'db'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> operate(Message.Operator.Op.STOP, "web/2"));
        assertEquals("unknown replica 'web/2' (service 'web' has 2 replicas)", e.getMessage());
    }

    @Test
    void aFailingPolicyIsAPolicyErrorAndALostExitIsAnInternalError() throws InterruptedException {
        policies.put("web", o -> {
            throw new IllegalStateException("boom");
        });
        start(service("web").build(), service("api").build());
        exit(control.spawned().get(0), ExitStatus.exited(1));
        assertEquals(Optional.of(StopReason.POLICY_ERROR), replica(0).stopReason());

        control.spawned().get(1).exit.completeExceptionally(new IllegalStateException("process control closed"));
        settle();
        assertEquals(Optional.of(StopReason.INTERNAL_ERROR), replica(1).stopReason());
        Await.until("internal error event", () -> !events(LifecycleEvent.InternalError.class).isEmpty());
        assertEquals(0, exitCode());
    }

    @Test
    void aPolicyThatNeverReturnsDoesNotHoldUpTheShutdownDeadline() throws Exception {
        CompletableFuture<Void> never = new CompletableFuture<>();
        policies.put("web", o -> {
            never.join();
            return RestartDecision.stop("late");
        });
        exitIntoAPolicyOnItsOwnThread(ExitStatus.exited(1));
        shutdown();
        assertEquals(0, exitCode(), "the stuck policy does not hold the replica: shutdown moves it on");
        assertEquals(Optional.of(StopReason.SHUTDOWN), replica(0).stopReason());
        Await.until("the stop reported", () -> recorder.has(LifecycleEvent.ReplicaStopped.class));
        List<LifecycleEvent> seen = recorder.events();
        int exited = indexOf(seen, LifecycleEvent.ProcessExited.class);
        assertTrue(exited >= 0, "the exit the stuck policy held is still reported: " + seen);
        assertTrue(exited < indexOf(seen, LifecycleEvent.ReplicaStopped.class), "exit before stop: " + seen);
        never.complete(null);
    }

    @Test
    void anExitIsReportedBeforeItsPolicyIsAskedAndTheRestartFollowsTheAnswer() throws Exception {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        policies.put("web", o -> {
            answer.join();
            return RestartDecision.restartAfter(Duration.ZERO);
        });
        exitIntoAPolicyOnItsOwnThread(ExitStatus.exited(0));
        Await.until("the exit reported while the policy decides", () -> recorder.has(LifecycleEvent.ProcessExited.class));
        assertFalse(answer.isDone());
        assertEquals(ReplicaState.EXITED, replica(0).state(), "still deciding");
        assertFalse(recorder.has(LifecycleEvent.RestartScheduled.class), "no decision yet");

        answer.complete(null);
        Await.until("restarted", () -> events(LifecycleEvent.ProcessStarted.class).size() == 2);
        List<LifecycleEvent> seen = recorder.events();
        int exited = indexOf(seen, LifecycleEvent.ProcessExited.class);
        assertInstanceOf(LifecycleEvent.RestartScheduled.class, seen.get(exited + 1), seen.toString());
        LifecycleEvent.ProcessStarted again = assertInstanceOf(LifecycleEvent.ProcessStarted.class,
                seen.get(exited + 2), seen.toString());
        assertEquals(1, again.restartCount());
        assertEquals(control.last().pid(), again.pid());
    }

    /**
     * Starts one service "web" whose mailbox and policy run on threads of their own, as in
     * production; its process exits with {@code status}, and the policy is being asked.
     */
    private void exitIntoAPolicyOnItsOwnThread(ExitStatus status) {
        CarnivalConfig config = new CarnivalConfig(new GlobalConfig(Duration.ofMillis(10_000), false), List.of(),
                List.of(service("web").build()));
        Plan plan = new Plan(config, policies, Preflight.of(config, new SourceMap("test", Map.of())));
        supervisor = Assembly.of(plan, control)
                .listeners(List.of(new Plugin<>("listener", "recorder", recorder, "test", "embedder")))
                .clock(timer, task -> Thread.ofVirtual().start(task))
                .build();
        supervisor.start();
        Await.until("running", () -> replica(0).state() == ReplicaState.RUNNING);
        exit(control.last(), status);
        Await.until("deciding", () -> replica(0).state() == ReplicaState.EXITED);
    }

    private static int indexOf(List<LifecycleEvent> events, Class<? extends LifecycleEvent> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everyNonZeroExitFollowsAnEventSayingWhy() throws InterruptedException, ExecutionException {
        ServiceConfig missing = ServiceConfig.builder("web", "/nonexistent/command").build();
        CarnivalConfig config = CarnivalConfig.of(missing);
        Plan plan = new Plan(config, Map.of("web", always()), Preflight.of(config, new SourceMap("test", Map.of())));
        supervisor = Assembly.of(plan, control)
                .listeners(List.of(new Plugin<>("listener", "recorder", recorder, "test", "embedder")))
                .clock(timer, Runnable::run).build();
        supervisor.start();
        assertEquals(ExitPolicy.CONFIG, exitCode());
        Await.until("stopped event", () -> !events(LifecycleEvent.SupervisorStopped.class).isEmpty());
        List<LifecycleEvent> all = recorder.events();
        LifecycleEvent.PreflightFailed why = assertInstanceOf(LifecycleEvent.PreflightFailed.class,
                all.get(all.size() - 2));
        assertTrue(why.problems().getFirst().contains("command '/nonexistent/command' not found"), why.toString());
        assertTrue(control.spawned().isEmpty());
        assertTrue(control.closed, "the supervisor owns its process control");
        supervisor = null;
    }

    // ---- dependencies (the orchestration seams) ------------------------------------------

    private FakeProcessControl.Child lastOf(String service) {
        return control.spawned().stream()
                .filter(c -> service.equals(c.request.environment().get("CARNIVAL_SERVICE_NAME"))).toList().getLast();
    }

    @Test
    void aDependentWaitsUntilItsDependencyCompletedThenStarts() {
        policies.put("migrate", never());
        start(service("migrate").build(),
                service("web").dependsOn(Map.of("migrate", Condition.COMPLETED)).build());
        assertEquals(1, control.spawned().size(), "only migrate runs");
        assertEquals(ReplicaState.WAITING, replica(1).state());
        // Events reach listeners on their own thread: wait for delivery, not for a transition.
        Await.until("wait reported", () -> !events(LifecycleEvent.DependencyWait.class).isEmpty());
        assertEquals(List.of("migrate (completed)"), events(LifecycleEvent.DependencyWait.class).getFirst().waitingFor());
        exit(lastOf("migrate"), ExitStatus.exited(0));
        assertEquals(ReplicaState.RUNNING, replica(1).state());
        assertEquals("web", control.last().request.environment().get("CARNIVAL_SERVICE_NAME"));
    }

    @Test
    void aFailedDependencyStopsACriticalDependentForGoodWithItsExitCode() throws InterruptedException {
        policies.put("migrate", never());
        start(service("migrate").build(),
                service("web").critical(true).dependsOn(Map.of("migrate", Condition.COMPLETED)).build());
        exit(lastOf("migrate"), ExitStatus.exited(3));
        assertEquals(Optional.of(StopReason.DEPENDENCY), replica(1).stopReason());
        assertEquals(1, control.spawned().size(), "web never ran");
        Await.until("failure reported", () -> !events(LifecycleEvent.DependencyFailed.class).isEmpty());
        assertEquals("migrate", events(LifecycleEvent.DependencyFailed.class).getFirst().dependency());
        assertEquals(3, exitCode());
    }

    @Test
    void shutdownStopsADependencyOnlyAfterItsDependentsExited() {
        start(service("db").build(), service("web").dependsOn(Map.of("db", Condition.STARTED)).build());
        settle();
        FakeProcessControl.Child db = lastOf("db");
        FakeProcessControl.Child web = lastOf("web");
        shutdown();
        assertEquals(List.of(Signal.TERM), web.signals());
        assertEquals(List.of(), db.signals(), "db waits for web to exit");
        exit(web, ExitStatus.killed(Signal.TERM.number()));
        assertEquals(List.of(Signal.TERM), db.signals());
    }

    @Test
    void aWaitingReplicaStopsAtOnceOnShutdown() throws InterruptedException {
        start(service("db").build(), service("web").dependsOn(Map.of("db", Condition.COMPLETED)).build());
        shutdown();
        assertEquals(Optional.of(StopReason.SHUTDOWN), replica(1).stopReason());
        exit(lastOf("db"), ExitStatus.killed(Signal.TERM.number()));
        assertEquals(0, exitCode());
    }
}

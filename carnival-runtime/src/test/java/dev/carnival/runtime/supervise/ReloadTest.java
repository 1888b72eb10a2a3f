package dev.carnival.runtime.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.Operation;
import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.SupervisorStatus;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.Condition;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.JobSpec;
import dev.carnival.api.model.RolloutSpec;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.api.reload.ReloadAction;
import dev.carnival.api.reload.ReloadResult;
import dev.carnival.api.reload.ServiceOutcome;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;
import dev.carnival.runtime.compose.Assembly;
import dev.carnival.runtime.compose.Plan;
import dev.carnival.runtime.compose.Preflight;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.process.Await;
import java.time.Duration;
import java.time.Instant;
import java.time.Month;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reloads, scaling and rolling restarts, driven deterministically as in {@link StateMachineTest}:
 * processes on paper, time moved by the test, every mailbox handled on the test's thread. Each
 * step of a rollout is checked the moment it happens: which processes got their stop signal, what
 * the new ones were spawned with, and which pids stayed.
 */
class ReloadTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final FakeProcessControl control = new FakeProcessControl();
    private final ManualTimer timer = new ManualTimer();
    private final ManualExecutor executor = new ManualExecutor();
    private CarnivalSupervisor supervisor;

    @AfterEach
    void finish() throws InterruptedException {
        if (supervisor != null) {
            supervisor.requestShutdown("test over");
            settle();
            control.spawned().forEach(c -> exit(c, ExitStatus.killed(Signal.TERM.number())));
            advance(Duration.ofDays(1));
            supervisor.await(Await.DEADLINE);
        }
    }

    private static ServiceConfig.Builder service(String name) {
        return ServiceConfig.builder(name, "true").restart("always").restartDelay(SECOND)
                .stopTimeout(Duration.ofSeconds(10));
    }

    private static CarnivalConfig config(ServiceConfig... services) {
        return new CarnivalConfig(new GlobalConfig(Duration.ofSeconds(10), false), List.of(), List.of(services));
    }

    private static Plugin<RestartPolicyProvider> provider(String name, RestartPolicy policy) {
        return Plugin.of(RestartPolicyProvider.class, name, new RestartPolicyProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public RestartPolicy create(dev.carnival.api.restart.PolicyOptions options) {
                return policy;
            }
        }, "test");
    }

    private void start(ServiceConfig... services) {
        CarnivalConfig config = config(services);
        RestartPolicy always = o -> RestartDecision.restartAfter(o.configuredDelay());
        RestartPolicy no = o -> RestartDecision.stop("restart = \"no\"");
        Map<String, RestartPolicy> policies = new java.util.HashMap<>();
        for (ServiceConfig s : services) {
            policies.put(s.name(), s.restart().policy().equals("no") ? no : always);
        }
        Plan plan = new Plan(config, policies, Preflight.of(config, new SourceMap("test", Map.of())));
        supervisor = Assembly.of(plan, control).clock(timer, executor)
                .plugins(Map.of("always", provider("always", always), "no", provider("no", no)), Map.of())
                .build();
        supervisor.start();
        int replicas = config.services().stream().mapToInt(ServiceConfig::replicas).sum();
        Await.until("first runs posted", () -> executor.queued() == replicas);
        settle();
    }

    private void settle() {
        executor.runAll();
    }

    private void exit(FakeProcessControl.Child child, ExitStatus status) {
        child.exit(status);
        settle();
    }

    private void advance(Duration by) {
        timer.advance(by);
        settle();
    }

    private List<ReplicaStatus> replicas() {
        return supervisor.status().replicas();
    }

    private List<Long> pids() {
        return replicas().stream().map(r -> r.pid().orElse(-1)).toList();
    }

    private FakeProcessControl.Child child(long pid) {
        return control.spawned().stream().filter(c -> c.pid() == pid).findFirst().orElseThrow();
    }

    private <T> CompletableFuture<T> settled(CompletableFuture<T> f) {
        settle();
        return f;
    }

    @Test
    void scalingAddsReplicasAtTheEndAndStopsTheHighestIndexesTheOthersKeepTheirPids() throws Exception {
        start(service("web").replicas(2).build(), service("db").build());
        List<Long> before = pids();

        CompletableFuture<Void> up = settled(supervisor.scale("web", 4));
        assertTrue(up.isDone());
        List<ReplicaStatus> now = replicas();
        assertEquals(List.of("web[0]", "web[1]", "web[2]", "web[3]", "db[0]"),
                now.stream().map(r -> r.replica().toString()).toList());
        assertEquals(before.get(0), now.get(0).pid().orElseThrow());
        assertEquals(before.get(1), now.get(1).pid().orElseThrow());
        assertEquals(before.get(2), now.get(4).pid().orElseThrow());
        assertTrue(now.stream().allMatch(r -> r.state() == ReplicaState.RUNNING));

        long web2 = now.get(2).pid().orElseThrow();
        long web3 = now.get(3).pid().orElseThrow();
        CompletableFuture<Void> down = settled(supervisor.scale("web", 1));
        assertFalse(down.isDone(), "waits for the stopped replicas to exit");
        assertEquals(List.of(Signal.TERM), child(web2).signals());
        assertEquals(List.of(Signal.TERM), child(web3).signals());
        assertEquals(List.of(Signal.TERM), child(before.get(1)).signals());
        assertEquals(List.of(), child(before.get(0)).signals());
        exit(child(web2), ExitStatus.killed(15));
        exit(child(web3), ExitStatus.killed(15));
        exit(child(before.get(1)), ExitStatus.killed(15));
        assertTrue(down.isDone());
        assertEquals(List.of(before.get(0), before.get(2)), pids());

        CompletableFuture<Void> none = settled(supervisor.scale("web", 0));
        exit(child(before.get(0)), ExitStatus.killed(15));
        assertTrue(none.isDone());
        assertEquals(List.of(before.get(2)), pids());
        assertTrue(supervisor.await(Duration.ZERO).isEmpty(), "a service scaled to 0 does not end the supervisor");
        assertTrue(supervisor.plan(config(service("web").replicas(2).build(), service("db").build()))
                .of("web").orElseThrow().action() == ReloadAction.SCALE, "the next reload returns to the file's count");
    }

    @Test
    void aRollingRestartReplacesOneReplicaAtATimeWithTheNewArgs() throws Exception {
        start(service("web").replicas(3).build(), service("db").build());
        List<Long> before = pids();

        CompletableFuture<ReloadResult> reload = settled(supervisor.reload(
                config(service("web").replicas(3).args("new").build(), service("db").build())));
        for (int i = 0; i < 3; i++) {
            assertFalse(reload.isDone());
            assertEquals(List.of(Signal.TERM), child(before.get(i)).signals(), "web/" + i + " is replaced");
            for (int j = i + 1; j < 3; j++) {
                assertEquals(List.of(), child(before.get(j)).signals(), "web/" + j + " waits its turn");
            }
            exit(child(before.get(i)), ExitStatus.killed(15));
            long next = replicas().get(i).pid().orElseThrow();
            assertEquals(List.of("true", "new"), child(next).request.argv());
            advance(Reloads.READY_POLL);
        }
        assertTrue(reload.isDone());
        ReloadResult result = reload.get();
        assertEquals(2, result.generation());
        assertEquals(List.of(ServiceOutcome.done("web", ReloadAction.RESTART), ServiceOutcome.done("db",
                ReloadAction.NONE)), result.services());
        assertEquals(before.get(3), replicas().get(3).pid().orElseThrow(), "db untouched");
        assertEquals(2, supervisor.generation());
    }

    @Test
    void aReplacementThatStopsForGoodHaltsTheRolloutTheRestKeepTheOldConfig() throws Exception {
        start(service("web").replicas(3).build());
        List<Long> before = pids();

        CompletableFuture<ReloadResult> reload = settled(supervisor.reload(config(service("web").replicas(3)
                .args("broken").restart("no").build())));
        control.failNextSpawns(1);
        exit(child(before.get(0)), ExitStatus.killed(15));
        advance(Reloads.READY_POLL);

        assertTrue(reload.isDone());
        ServiceOutcome web = reload.get().halted().orElseThrow();
        assertEquals("web/0", web.halted().orElseThrow());
        assertEquals(ReplicaState.STOPPED, replicas().get(0).state());
        assertEquals(List.of(before.get(1), before.get(2)), pids().subList(1, 3), "the others keep running");
        assertEquals(List.of(), child(before.get(1)).signals());
        assertEquals(List.of("true"), child(before.get(1)).request.argv(), "on the old config");
    }

    @Test
    void aReplacementNotRunningWithinTheRolloutTimeoutHaltsIt() throws Exception {
        start(service("web").replicas(2).build());
        List<Long> before = pids();
        control.failNextSpawns(100);
        CompletableFuture<ReloadResult> reload = settled(supervisor.reload(config(service("web").replicas(2)
                .args("x").rollout(new RolloutSpec(RolloutSpec.Strategy.ROLLING, SECOND)).build())));
        exit(child(before.get(0)), ExitStatus.killed(15));
        for (int i = 0; i < 5 && !reload.isDone(); i++) {
            advance(SECOND);
        }
        assertTrue(reload.isDone());
        assertEquals("web/0", reload.get().halted().orElseThrow().halted().orElseThrow());
        assertEquals(before.get(1), pids().get(1));
    }

    @Test
    void anUpdateKeepsThePidsAndTheNextExitUsesTheNewDelay() throws Exception {
        start(service("web").replicas(2).build());
        List<Long> before = pids();
        ReloadResult result = settled(supervisor.reload(config(service("web").replicas(2)
                .restartDelay(Duration.ofSeconds(5)).build()))).get();
        assertEquals(ReloadAction.UPDATE, result.services().getFirst().action());
        assertEquals(before, pids());
        assertEquals(List.of(), child(before.get(0)).signals());

        exit(child(before.get(0)), ExitStatus.exited(1));
        advance(SECOND);
        assertEquals(ReplicaState.BACKOFF, replicas().get(0).state(), "the old delay (1 s) no longer holds");
        advance(Duration.ofSeconds(4));
        assertEquals(ReplicaState.RUNNING, replicas().get(0).state());
    }

    @Test
    void addedServicesStartRemovedOnesStopAndUnchangedOnesKeepTheirPids() throws Exception {
        start(service("web").build(), service("old").build());
        List<Long> before = pids();
        CompletableFuture<ReloadResult> reload = settled(supervisor.reload(config(service("web").build(),
                service("new").build())));
        assertFalse(reload.isDone(), "waits for old to exit");
        assertEquals(List.of(Signal.TERM), child(before.get(1)).signals());
        exit(child(before.get(1)), ExitStatus.killed(15));
        assertTrue(reload.isDone());
        assertEquals(List.of("web[0]", "new[0]"), replicas().stream().map(r -> r.replica().toString()).toList());
        assertEquals(before.get(0), pids().get(0));
        assertEquals(ReplicaState.RUNNING, replicas().get(1).state());
        List<ReloadAction> actions = reload.get().services().stream().map(ServiceOutcome::action).toList();
        assertEquals(List.of(ReloadAction.NONE, ReloadAction.ADD, ReloadAction.REMOVE), actions);
    }

    @Test
    void anUnchangedConfigChangesNothingNotEvenTheGeneration() throws Exception {
        start(service("web").replicas(2).build());
        List<Long> before = pids();
        ReloadResult result = settled(supervisor.reload(config(service("web").replicas(2).build()))).get();
        assertTrue(result.plan().empty());
        assertEquals(1, result.generation());
        assertEquals(before, pids());
    }

    @Test
    void aReloadDuringShutdownIsRefused() {
        start(service("web").build());
        supervisor.requestShutdown("test");
        settle();
        CompletableFuture<ReloadResult> reload = settled(supervisor.reload(config(service("web").args("x").build())));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, reload::get);
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void aRollingRestartWithoutAChangeReplacesEachReplicaInTurn() throws Exception {
        start(service("web").replicas(2).build());
        List<Long> before = pids();
        CompletableFuture<ServiceOutcome> roll = settled(supervisor.rollingRestart("web"));
        assertEquals(List.of(), child(before.get(1)).signals());
        exit(child(before.get(0)), ExitStatus.killed(15));
        advance(Reloads.READY_POLL);
        assertEquals(List.of(Signal.TERM), child(before.get(1)).signals());
        exit(child(before.get(1)), ExitStatus.killed(15));
        advance(Reloads.READY_POLL);
        assertTrue(roll.isDone());
        assertEquals(ServiceOutcome.done("web", ReloadAction.RESTART), roll.get());
        assertTrue(pids().stream().noneMatch(before::contains));
    }

    @Test
    void aDependencyAReloadAddsOrdersTheShutdownDependentsStopFirst() throws Exception {
        start(service("db").build(), service("app").build());
        List<Long> before = pids();
        ReloadResult result = settled(supervisor.reload(config(service("db").build(),
                service("app").dependsOn(Map.of("db", Condition.STARTED)).build()))).get();
        assertEquals(ReloadAction.UPDATE, result.plan().of("app").orElseThrow().action());

        supervisor.requestShutdown("test");
        settle();
        assertEquals(List.of(Signal.TERM), child(before.get(1)).signals(), "app, the dependent, first");
        assertEquals(List.of(), child(before.get(0)).signals(), "db waits for app to stop");
        exit(child(before.get(1)), ExitStatus.killed(15));
        assertEquals(List.of(Signal.TERM), child(before.get(0)).signals(), "then db");
    }

    @Test
    void aDependencyAReloadRemovesNoLongerHoldsTheShutdown() throws Exception {
        start(service("db").build(), service("app").dependsOn(Map.of("db", Condition.STARTED))
                .build());
        List<Long> before = pids();
        settled(supervisor.reload(config(service("db").build(), service("app").build()))).get();
        supervisor.requestShutdown("test");
        settle();
        assertEquals(List.of(Signal.TERM), child(before.get(0)).signals(), "db no longer waits for app");
        assertEquals(List.of(Signal.TERM), child(before.get(1)).signals());
    }

    @Test
    void anOperationOnAServiceTheReloadLeavesAloneDoesNotWaitForItsRollout() throws Exception {
        start(service("web").replicas(2).build(), service("db").build());
        List<Long> before = pids();
        CompletableFuture<ReloadResult> reload = settled(supervisor.reload(config(service("web").replicas(2)
                .args("new").build(), service("db").build())));
        assertEquals(List.of(Signal.TERM), child(before.get(0)).signals(), "web/0 is being replaced");
        assertFalse(reload.isDone(), "its old process has not exited yet");

        CompletableFuture<Void> db = settled(supervisor.perform(new Operation.Restart("db",
                Operation.Origin.API)));
        assertEquals(List.of(Signal.TERM), child(before.get(2)).signals(), "db, unchanged, restarts at once");
        exit(child(before.get(2)), ExitStatus.killed(15));
        assertTrue(db.isDone());

        CompletableFuture<Void> web1 = settled(supervisor.perform(new Operation.Restart("web/1",
                Operation.Origin.API)));
        assertEquals(List.of(), child(before.get(1)).signals(), "web/1 waits: the reload is changing web");
        assertFalse(web1.isDone());
        exit(child(before.get(0)), ExitStatus.killed(15));
        advance(Reloads.READY_POLL);
        exit(child(before.get(1)), ExitStatus.killed(15)); // the rollout's turn at web/1
        advance(Reloads.READY_POLL);
        assertTrue(reload.isDone());
        long newWeb1 = pids().get(1);
        assertEquals(List.of(Signal.TERM), child(newWeb1).signals(), "then restarts the replica the reload left");
        exit(child(newWeb1), ExitStatus.killed(15));
        assertTrue(web1.isDone());
        assertEquals(List.of("true", "new"), child(pids().get(1)).request.argv());
    }

    @Test
    void aChangedStopCommandIsTheOneTheNextStopRuns() throws Exception {
        start(service("web").stopCommand(List.of("old-stop")).build());
        long pid = pids().getFirst();
        ReloadResult result = settled(supervisor.reload(config(service("web").stopCommand(List.of("new-stop"))
                .build()))).get();
        assertEquals(ReloadAction.UPDATE, result.services().getFirst().action());
        assertEquals(List.of(pid), pids());
        settled(supervisor.perform(new Operation.Stop("web", Operation.Origin.API)));
        assertEquals("new-stop", control.spawned().getLast().request.argv().getFirst());
    }

    private Optional<Instant> nextRun(String replica) {
        return replicas().stream().filter(r -> r.replica().toString().equals(replica)).findFirst().orElseThrow()
                .job().orElseThrow().nextRun();
    }

    private static Month month(Instant at) {
        return at.atZone(ZoneOffset.UTC).getMonth();
    }

    @Test
    void aJobAReloadAddsOrScalesGetsItsScheduleAndAChangedScheduleIsTheOneThatFires() throws Exception {
        start(service("web").build(), service("job").restart("no").job(JobSpec.of("0 0 1 6 *"))
                .build());
        assertEquals(Month.JUNE, month(nextRun("job[0]").orElseThrow()));

        settled(supervisor.reload(config(service("web").build(), service("job").restart("no")
                .job(JobSpec.of("0 0 1 7 *")).replicas(2).build(),
                service("added").restart("no").job(JobSpec.of("0 0 1 8 *")).build()))).get();
        assertEquals(Month.JULY, month(nextRun("job[0]").orElseThrow()), "the new schedule");
        assertEquals(Month.JULY, month(nextRun("job[1]").orElseThrow()), "a replica the reload added");
        assertEquals(Month.AUGUST, month(nextRun("added[0]").orElseThrow()), "a job the reload added");

        int armed = timer.pending();
        settled(supervisor.reload(config(service("web").build(), service("job").restart("no")
                .job(JobSpec.of("0 0 1 7 *")).replicas(2).build()))).get();
        assertEquals(armed - 1, timer.pending(), "the removed job's clock is stopped");
    }

    @Test
    void aJobsRestartIsNotARunItsNextFiringRunsTheNewArgs() throws Exception {
        start(service("job").restart("no").job(JobSpec.of("0 0 1 6 *")).build());
        int spawned = control.spawned().size();
        CompletableFuture<ReloadResult> reload = settled(supervisor.reload(config(service("job").restart("no")
                .args("new").job(JobSpec.of("0 0 1 6 *")).build())));
        assertTrue(reload.isDone(), "nothing to wait for: the job is not running");
        assertTrue(reload.get().halted().isEmpty());
        assertEquals(spawned, control.spawned().size(), "not run by the reload");
        settled(supervisor.perform(new Operation.Start("job", Operation.Origin.API)));
        assertEquals(List.of("true", "new"), control.spawned().getLast().request.argv());
    }

    @Test
    void aServiceThatBecomesAJobIsMadeAgainAndWaitsForItsSchedule() throws Exception {
        start(service("web").restart("no").build());
        long pid = pids().getFirst();
        CompletableFuture<ReloadResult> reload = settled(supervisor.reload(config(service("web").restart("no")
                .job(JobSpec.of("0 0 1 6 *")).build())));
        assertEquals(List.of(Signal.TERM), child(pid).signals());
        exit(child(pid), ExitStatus.killed(15));
        assertTrue(reload.isDone());
        assertEquals(ReloadAction.RESTART, reload.get().services().getFirst().action());
        assertEquals(ReplicaState.SCHEDULED, replicas().getFirst().state());
        assertEquals(Month.JUNE, month(nextRun("web[0]").orElseThrow()));
    }

    @Test
    void aServiceRemovedThenAddedAgainWaitsForItsNewDependencies() throws Exception {
        start(service("db").build(), service("app").build());
        long app = pids().get(1);
        CompletableFuture<ReloadResult> removed = settled(supervisor.reload(config(service("db").build())));
        exit(child(app), ExitStatus.killed(15));
        assertTrue(removed.isDone());

        settled(supervisor.reload(config(service("db").build(), service("setup").restart("no").build(),
                service("app").dependsOn(Map.of("setup", Condition.COMPLETED)).build()))).get();
        assertEquals(ReplicaState.WAITING, replicas().get(2).state(), "app waits for setup to complete, as at start");
        exit(child(replicas().get(1).pid().orElseThrow()), ExitStatus.exited(0));
        assertEquals(ReplicaState.RUNNING, replicas().get(2).state());
    }

    @Test
    void aDrainAReloadSetsHoldsTheNextShutdown() throws Exception {
        start(service("web").build());
        long pid = pids().getFirst();
        GlobalConfig g = new GlobalConfig(Duration.ofSeconds(10), false);
        GlobalConfig draining = new GlobalConfig(g.shutdownTimeout(), g.outputTimestamps(), g.env(), g.controlSocket(),
                g.httpListen(), g.monitoring(), Duration.ofSeconds(30), g.reload());
        ReloadResult result = settled(supervisor.reload(new CarnivalConfig(draining, List.of(),
                List.of(service("web").build())))).get();
        assertEquals(List.of("drain-ms"), result.plan().globalChanged());
        assertEquals(2, result.generation());

        supervisor.requestShutdown("test");
        settle();
        assertEquals(SupervisorStatus.Phase.DRAINING, supervisor.status().phase());
        assertEquals(List.of(), child(pid).signals(), "nothing is stopped while it drains");
        assertTrue(supervisor.endDrain("test over"));
        Await.until("web told to stop", () -> {
            settle();
            return !child(pid).signals().isEmpty();
        });
    }
}

package dev.carnival.runtime.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carnival.api.model.JobStatus;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.JobSpec;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.api.model.SuccessExitCodes;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.runtime.process.ChildProcess;
import dev.carnival.runtime.supervise.Life.After;
import dev.carnival.runtime.supervise.Life.History;
import dev.carnival.runtime.supervise.Message.Timer;
import dev.carnival.runtime.supervise.Transition.Now;
import dev.carnival.runtime.supervise.Transition.Step;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A scheduled job's rows of the transition: pure, as {@link TransitionTableTest}'s. */
class JobTransitionTest {
    private static final ReplicaId ID = new ReplicaId("job", 0);
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final Now NOW = new Now() {
        @Override
        public Instant instant() {
            return T;
        }

        @Override
        public long nanoTime() {
            return 10_000_000_000L;
        }
    };
    private static final ChildProcess CHILD = new ChildProcess() {
        @Override
        public long pid() {
            return 42;
        }

        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return new CompletableFuture<>();
        }

        @Override
        public void signalGroup(Signal signal) {
        }
    };
    private static final History H = new History(1, 0, null, false);
    private static final Message FIRE = new Message.Fire(T);

    private static Transition job(JobSpec.Overlap overlap, boolean runOnStart, List<String> stopCommand) {
        return new Transition(ID, ServiceConfig.builder("job", "true").restart("on-failure")
                .job(new JobSpec("* * * * *", ZoneOffset.UTC, overlap, runOnStart))
                .successExitCodes(SuccessExitCodes.of(0, 143)).stopCommand(stopCommand).build());
    }

    private static Transition job(JobSpec.Overlap overlap) {
        return job(overlap, false, List.of());
    }

    @Test
    void aJobWaitsForItsScheduleUnlessItRunsOnStart() {
        assertEquals(new Step(new Life.Scheduled(H), true, List.of()),
                job(JobSpec.Overlap.SKIP).next(new Life.Pending(H), new Message.Begin(), NOW));
        assertEquals(new Step(new Life.Waiting(H), true, List.of(new Effect.AwaitDependencies())),
                job(JobSpec.Overlap.SKIP, true, List.of()).next(new Life.Pending(H), new Message.Begin(), NOW));
    }

    @Test
    void aRunThatEndsForGoodIsCountedAndTheScheduleGoesOn() {
        History succeeded = H.exited(ExitStatus.exited(143));
        assertEquals(new Step(new Life.Scheduled(succeeded), true, List.of(new Effect.JobRan(JobStatus.Result.SUCCESS))),
                job(JobSpec.Overlap.SKIP).next(new Life.Deciding(succeeded),
                        new Message.Decided(0, RestartDecision.stop("policy: on-failure"), null), NOW));
        History failed = new History(3, 2, ExitStatus.exited(1), false);
        ServiceConfig limited = ServiceConfig.builder("job", "true").restart("on-failure").restartLimit(3)
                .job(JobSpec.of("@hourly")).build();
        assertEquals(new Step(new Life.Scheduled(failed), true, List.of(new Effect.JobRan(JobStatus.Result.FAILURE))),
                new Transition(ID, limited).next(new Life.Deciding(failed),
                        new Message.Decided(0, RestartDecision.restartAfter(Duration.ZERO), null), NOW));
    }

    @Test
    void aFiringWhileARunRunsIsSkippedReplacesItOrRunsBesideIt() {
        Life.Running running = new Life.Running(CHILD, 1_000, 2_000, H);
        assertEquals(new Step(running, false, List.of(new Effect.JobRan(JobStatus.Result.SKIPPED))),
                job(JobSpec.Overlap.SKIP).next(running, FIRE, NOW));
        assertEquals(new Step(running, false, List.of(new Effect.SideRun())),
                job(JobSpec.Overlap.ALLOW).next(running, FIRE, NOW));
        Step replaced = job(JobSpec.Overlap.REPLACE).next(running, FIRE, NOW);
        assertEquals(After.Then.RESTART, ((Life.Stopping) replaced.next()).after().then());
        Life.Backoff backoff = new Life.Backoff(H);
        assertEquals(new Step(new Life.Starting(Life.Kind.BACKOFF, H.fresh()), true, List.of(new Effect.Spawn(0))),
                job(JobSpec.Overlap.REPLACE).next(backoff, FIRE, NOW));
        // Shutting down, allow starts nothing more: the firing is skipped.
        Life.Running closing = new Life.Running(CHILD, 1_000, 2_000, H.closed());
        assertEquals(new Step(closing, false, List.of(new Effect.JobRan(JobStatus.Result.SKIPPED))),
                job(JobSpec.Overlap.ALLOW).next(closing, FIRE, NOW));
    }

    @Test
    void aStopCommandStopsInsteadOfTheSignalAndIsKilledWithTheGroup() {
        Life.Running running = new Life.Running(CHILD, 1_000, 2_000, H);
        Transition t = job(JobSpec.Overlap.SKIP, false, List.of("nginx", "-s", "quit"));
        Step stop = t.next(running, new Message.Shutdown(), NOW);
        assertEquals(List.of(new Effect.ProbesStop(), new Effect.RunStopCommand(CHILD),
                new Effect.StartTimer(Timer.STOP_TIMEOUT, Duration.ofSeconds(10)), new Effect.WatchExit(CHILD)), stop.effects());
        Step killed = t.next(stop.next(), new Message.Timeout(0, Timer.STOP_TIMEOUT), NOW);
        assertEquals(true, killed.effects().contains(new Effect.SignalGroup(CHILD, Signal.KILL)));
        assertEquals(true, killed.effects().contains(new Effect.KillStopCommand()));
    }

    @Test
    void anOperatorStopStopsTheJobAndItsSchedule() {
        Step s = job(JobSpec.Overlap.SKIP).next(new Life.Scheduled(H),
                new Message.Operator(Message.Operator.Op.STOP, "socket", new CompletableFuture<>()), NOW);
        assertEquals(StopReason.OPERATOR, ((Life.Stopped) s.next()).reason());
        assertEquals(new Step(new Life.Stopped(StopReason.OPERATOR, "socket", H), false, List.of()),
                job(JobSpec.Overlap.SKIP).next(new Life.Stopped(StopReason.OPERATOR, "socket", H), FIRE, NOW));
    }
}

package dev.carnival.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.SupervisorStatus;
import dev.carnival.api.SupervisorStatus.Phase;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ReplicaId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    static ReplicaStatus replica(String service, ReplicaState state, boolean ready, StopReason reason, ExitStatus exit) {
        return new ReplicaStatus(new ReplicaId(service, 0), state,
                state == ReplicaState.RUNNING ? OptionalLong.of(42) : OptionalLong.empty(), ready, 0,
                Optional.empty(), Optional.ofNullable(exit), Optional.ofNullable(reason), 0);
    }

    static ReplicaStatus running(String service, boolean ready) {
        return replica(service, ReplicaState.RUNNING, ready, null, null);
    }

    @Test
    void readyWhenEveryReplicaThatOughtToRunRunsAndIsReady() {
        ReplicaStatus completed = replica("migrate", ReplicaState.STOPPED, false, StopReason.POLICY, new ExitStatus.Exited(0));
        Readiness r = Readiness.of(new SupervisorStatus(Phase.RUNNING, List.of(running("web", true), completed)));
        assertTrue(r.ready());
        assertEquals(List.of(), r.lagging());
    }

    @Test
    void aRunningReplicaWithoutItsProbeYetLagsButIsNotHopeless() {
        Readiness r = Readiness.of(new SupervisorStatus(Phase.RUNNING, List.of(running("web", true), running("db", false))));
        assertFalse(r.ready());
        assertEquals("db", r.lagging().getFirst().replica().service());
        assertNull(r.hopeless());
    }

    @Test
    void initCommandsStillRunningAreNotReadyYet() {
        Readiness r = Readiness.of(new SupervisorStatus(Phase.INIT,
                List.of(replica("web", ReplicaState.PENDING, false, null, null))));
        assertFalse(r.ready());
        assertNull(r.hopeless());
    }

    @Test
    void aReplicaStoppedForGoodAfterAFailureIsHopelessAndNamed() {
        ReplicaStatus failed = replica("web", ReplicaState.STOPPED, false, StopReason.RESTART_LIMIT, new ExitStatus.Exited(1));
        Readiness r = Readiness.of(new SupervisorStatus(Phase.RUNNING, List.of(failed)));
        assertEquals("web[0] stopped for good (restart-limit)", r.hopeless());
    }

    @Test
    void aStoppedSupervisorIsHopeless() {
        Readiness r = Readiness.of(new SupervisorStatus(Phase.STOPPED, List.of()));
        assertFalse(r.ready());
        assertEquals("the supervisor is stopped", r.hopeless());
    }
}

package dev.carnival.runtime.depend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.config.ConfigException;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.Condition;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.ProbeSpec;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.config.SourceMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependenciesTest {
    private static final ReplicaId DB_0 = new ReplicaId("db", 0);
    private static final ReplicaId DB_1 = new ReplicaId("db", 1);
    private static final ReplicaId MIGRATE_0 = new ReplicaId("migrate", 0);

    private static Dependencies of(ServiceConfig... services) throws ConfigException {
        CarnivalConfig c = CarnivalConfig.of(services);
        return new Dependencies(c, DependencyGraph.of(c, new SourceMap("c.toml", Map.of())));
    }

    private static ServiceConfig web(Map<String, Condition> deps) {
        return ServiceConfig.builder("web", "true").dependsOn(deps).build();
    }

    @Test
    void readyWaitsForEveryReplicasProbeAndStartedForEveryProcess() throws ConfigException {
        Dependencies d = of(ServiceConfig.builder("db", "true").replicas(2).readiness(ProbeSpec.of("tcp", List.of("x:1"))).build(),
                web(Map.of("db", Condition.READY)),
                ServiceConfig.builder("cache", "true").dependsOn(Map.of("db", Condition.STARTED)).build());
        assertFalse(d.gate("web").isDone());
        assertEquals(List.of("db (ready)"), d.unmet("web"));
        d.started(DB_0);
        d.started(DB_1);
        assertTrue(d.gate("cache").isDone(), "started: both have a process");
        assertFalse(d.gate("web").isDone(), "not ready yet");
        d.ready(DB_0);
        d.ready(DB_1);
        assertEquals(new Dependencies.Gate.Open(), d.gate("web").join());
        assertTrue(d.gate("db").isDone(), "no dependencies: open at once");
    }

    @Test
    void withoutAReadinessProbeReadyMeansStarted() throws ConfigException {
        Dependencies d = of(ServiceConfig.builder("db", "true").build(), web(Map.of("db", Condition.READY)));
        d.started(DB_0);
        assertEquals(new Dependencies.Gate.Open(), d.gate("web").join());
    }

    @Test
    void completedNeedsExitZeroForGoodAndAFailureCarriesTheExitCode() throws ConfigException {
        Dependencies ok = of(ServiceConfig.builder("migrate", "true").build(), web(Map.of("migrate", Condition.COMPLETED)));
        ok.started(MIGRATE_0);
        ok.exited(MIGRATE_0, ExitStatus.exited(0));
        assertFalse(ok.gate("web").isDone(), "it may still run again");
        ok.stopped(MIGRATE_0);
        assertEquals(new Dependencies.Gate.Open(), ok.gate("web").join());

        Dependencies bad = of(ServiceConfig.builder("migrate", "true").build(), web(Map.of("migrate", Condition.COMPLETED)));
        bad.started(MIGRATE_0);
        bad.exited(MIGRATE_0, ExitStatus.exited(3));
        bad.stopped(MIGRATE_0);
        assertEquals(new Dependencies.Gate.Failed("migrate", Condition.COMPLETED, "migrate[0] exited with code 3", 3),
                bad.gate("web").join());
    }

    @Test
    void aFailureCascadesWithTheOriginalExitCodeAndANeverRunDependencyGivesOne() throws ConfigException {
        Dependencies d = of(ServiceConfig.builder("db", "true").build(),
                ServiceConfig.builder("migrate", "true").dependsOn(Map.of("db", Condition.READY)).build(),
                web(Map.of("migrate", Condition.COMPLETED)));
        d.exited(DB_0, ExitStatus.killed(9));
        d.stopped(DB_0);
        Dependencies.Gate.Failed m = (Dependencies.Gate.Failed) d.gate("migrate").join();
        assertEquals(137, m.exitCode());
        d.stopped(MIGRATE_0); // it never ran: stopped for its dependency
        assertEquals(137, ((Dependencies.Gate.Failed) d.gate("web").join()).exitCode());

        Dependencies never = of(ServiceConfig.builder("db", "true").build(), web(Map.of("db", Condition.STARTED)));
        never.stopped(DB_0);
        assertEquals(new Dependencies.Gate.Failed("db", Condition.STARTED, "db[0] never ran", 1), never.gate("web").join());
    }

    @Test
    void dependentsGoneOnceEveryReplicaOfEveryDependentStopped() throws ConfigException {
        Dependencies d = of(ServiceConfig.builder("db", "true").build(),
                ServiceConfig.builder("web", "true").replicas(2).dependsOn(Map.of("db", Condition.READY)).build());
        assertTrue(d.dependentsGone("web").isDone(), "nothing depends on web");
        d.stopped(new ReplicaId("web", 0));
        assertFalse(d.dependentsGone("db").isDone());
        d.stopped(new ReplicaId("web", 1));
        assertTrue(d.dependentsGone("db").isDone());
    }
}

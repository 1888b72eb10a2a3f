package dev.carnival.runtime.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.Carnival;
import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.Supervisor;
import dev.carnival.api.SupervisorStatus;
import dev.carnival.api.config.ConfigException;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.OperatorRequest;
import dev.carnival.api.event.LifecycleEvent.ProcessStarted;
import dev.carnival.api.event.LifecycleEvent.ShutdownRequested;
import dev.carnival.api.event.LifecycleEvent.StopEscalated;
import dev.carnival.api.event.LifecycleEvent.ReplicaStopped;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.event.LifecycleEvent.SupervisorStopped;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.api.model.Signal;
import dev.carnival.api.restart.PolicyOptions;
import dev.carnival.api.restart.RestartDecision;
import dev.carnival.api.restart.RestartPolicy;
import dev.carnival.api.restart.RestartPolicyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public embedding API, finding the runtime's engine with ServiceLoader on the class path. */
class EmbeddingTest {
    private final Recorder recorder = new Recorder();

    @TempDir
    Path dir;

    /** Restarts once after a failure, then stops. */
    private static final class OnceMore implements RestartPolicyProvider {
        @Override
        public String name() {
            return "once-more";
        }

        @Override
        public RestartPolicy create(PolicyOptions options) {
            return outcome -> outcome.run() == 1
                    ? RestartDecision.restartAfter(Duration.ZERO)
                    : RestartDecision.stop("once was enough");
        }
    }

    @Test
    void runsTwoServicesBuiltInCodeAndCloseStopsThem() throws Exception {
        CarnivalConfig config = CarnivalConfig.of(
                ServiceConfig.builder("a", "sleep").args("60").build(),
                ServiceConfig.builder("b", "sleep").args("60").replicas(2).build());
        Supervisor s = Carnival.supervisor(config).listener(recorder).build();
        assertInstanceOf(CarnivalSupervisor.class, s, "the runtime engine was found");
        assertEquals(SupervisorStatus.Phase.NEW, s.status().phase());
        s.start();
        Await.until("every replica running",
                () -> s.status().replicas().stream().allMatch(r -> r.state() == ReplicaState.RUNNING));
        List<Long> pids = s.status().replicas().stream().map(r -> r.pid().orElseThrow()).toList();
        assertEquals(3, pids.size());
        assertEquals(List.of("a[0]", "b[0]", "b[1]"),
                s.status().replicas().stream().map(r -> r.replica().toString()).toList());

        assertTimeoutPreemptively(Await.LONG, s::close);

        assertEquals(Optional.of(0), s.await(Duration.ZERO));
        SupervisorStatus after = s.status();
        assertEquals(SupervisorStatus.Phase.STOPPED, after.phase());
        for (ReplicaStatus r : after.replicas()) {
            assertEquals(ReplicaState.STOPPED, r.state(), r.replica().toString());
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " alive");
        }
        Await.until("SupervisorStopped delivered", () -> recorder.has(SupervisorStopped.class));
        assertInstanceOf(SupervisorStopped.class, recorder.events().getLast());
        assertEquals(3, recorder.of(ProcessStarted.class).size());
        assertTrue(recorder.of(ReplicaStopped.class).stream().allMatch(e -> e.reason() == StopReason.SHUTDOWN));
    }

    @Test
    void embedderPolicyIsUsed() throws Exception {
        CarnivalConfig config = CarnivalConfig.of(ServiceConfig.builder("job", "sh").args("-c", "exit 1")
                .restart("once-more").restartDelay(Duration.ZERO).build());
        try (Supervisor s = Carnival.supervisor(config).listener(recorder).restartPolicy(new OnceMore()).build()) {
            s.start();
            assertEquals(Optional.of(0), s.await(Await.LONG));
        }
        Await.until("SupervisorStopped delivered", () -> recorder.has(SupervisorStopped.class));
        assertEquals(List.of(0, 1), recorder.of(ProcessStarted.class).stream().map(ProcessStarted::restartCount).toList());
        assertEquals("once was enough", recorder.of(ReplicaStopped.class).getFirst().detail());
    }

    @Test
    void withoutDiscoveryOnlyHandedInPoliciesExist() {
        CarnivalConfig config = CarnivalConfig.of(ServiceConfig.builder("job", "true").restart("always").build());
        ConfigException e = assertThrows(ConfigException.class, () ->
                Carnival.supervisor(config).discoverPlugins(false).restartPolicy(new OnceMore()).build());
        assertEquals("embedded config: unknown restart policy 'always' for service 'job' (known policies: once-more)",
                e.getMessage());
    }

    @Test
    void embedderPolicyCannotTakeABuiltInName() {
        RestartPolicyProvider fake = new RestartPolicyProvider() {
            @Override
            public String name() {
                return "always";
            }

            @Override
            public RestartPolicy create(PolicyOptions options) {
                return outcome -> RestartDecision.stop("fake");
            }
        };
        ConfigException e = assertThrows(ConfigException.class,
                () -> Carnival.supervisor(CarnivalConfig.of()).restartPolicy(fake).build());
        assertEquals("embedded config: restart policy 'always' is provided twice: by module unnamed (built-in) "
                + "and by module unnamed (embedder)", e.getMessage());
    }

    @Test
    void closeBeforeStartReturns() throws Exception {
        Supervisor s = Carnival.supervisor(CarnivalConfig.of()).build();
        assertTimeoutPreemptively(Await.LONG, s::close);
    }

    @Test
    void readConfigUsesTheDiscoveredSources() throws Exception {
        Path file = Files.writeString(dir.resolve("carnival.toml"), """
                [[service]]
                name = "web"
                command = "python3"
                replicas = "${CARNIVAL_TEST_SURELY_UNSET:-3}"
                restart = "on-failure"
                """);
        CarnivalConfig config = Carnival.readConfig(file);
        ServiceConfig web = config.services().getFirst();
        assertEquals(3, web.replicas());
        assertEquals("on-failure", web.restart().policy());
        assertEquals(Set.of("web"), config.services().stream().map(ServiceConfig::name).collect(Collectors.toSet()));
    }

    @Test
    void readConfigReportsWhere() throws Exception {
        Path file = Files.writeString(dir.resolve("carnival.toml"), "[[service]]\nname = \"web\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Carnival.readConfig(file));
        assertEquals(file + ":1:1: [[service]] 'web' has no 'command'", e.getMessage());
    }
    @Test
    void anEmbeddersListenerLearnsWhyTheSupervisorStoppedWithANonZeroCode() throws Exception {
        CarnivalConfig config = CarnivalConfig.of(
                ServiceConfig.builder("db", "sh").args("-c", "exit 3").critical(true).build(),
                ServiceConfig.builder("web", "sleep").args("60").build());
        try (Supervisor s = Carnival.supervisor(config).listener(recorder).build()) {
            s.start();
            assertEquals(Optional.of(3), s.await(Await.LONG));
        }
        Await.until("last event", () -> recorder.has(SupervisorStopped.class));
        List<LifecycleEvent> events = recorder.events();
        ShutdownRequested why = recorder.of(ShutdownRequested.class).getFirst();
        assertEquals("critical service db[0] stopped (exited with code 3)", why.cause());
        assertTrue(events.indexOf(why) < events.size() - 1);
        assertEquals(new SupervisorStopped(events.getLast().at(), 3), events.getLast());
    }

    @Test
    void aSigkillAfterTheStopTimeoutIsAnEventForTheEmbedder() throws Exception {
        Path trapped = dir.resolve("trapped");
        CarnivalConfig config = CarnivalConfig.of(ServiceConfig.builder("stubborn", "sh")
                .args("-c", "trap '' TERM; touch " + trapped + "; while :; do sleep 1; done")
                .stopTimeout(Duration.ofMillis(200)).build());
        Supervisor s = Carnival.supervisor(config).listener(recorder).build();
        s.start();
        Await.until("TERM ignored", () -> Files.exists(trapped));
        assertTimeoutPreemptively(Await.LONG, s::close);
        Await.until("last event", () -> recorder.has(SupervisorStopped.class));
        StopEscalated e = recorder.of(StopEscalated.class).getFirst();
        assertEquals("stubborn[0]", e.subject());
        assertEquals(Duration.ofMillis(200), e.after());
        assertEquals(Signal.TERM, e.signal());
    }

    @Test
    void operatorsStopStartAndRestartRealProcessesThroughTheApi() throws Exception {
        CarnivalConfig config = CarnivalConfig.of(ServiceConfig.builder("web", "sleep").args("60").replicas(2).build());
        try (Supervisor s = Carnival.supervisor(config).listener(recorder).build()) {
            s.start();
            Await.until("running", () -> s.status().replicas().stream().allMatch(r -> r.state() == ReplicaState.RUNNING));
            long first = s.status().replicas().get(1).pid().orElseThrow();

            s.restart("web/1").get(Await.LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            long second = s.status().replicas().get(1).pid().orElseThrow();
            assertTrue(second != first, "a new process");
            Await.until("old one gone", () -> ProcessHandle.of(first).isEmpty());

            s.stop("web").get(Await.LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(s.status().replicas().stream().allMatch(r -> r.state() == ReplicaState.STOPPED));
            assertTrue(ProcessHandle.of(second).isEmpty() || !ProcessHandle.of(second).get().isAlive());
            assertTrue(s.await(Duration.ofMillis(200)).isEmpty(), "still supervising: it may be started again");

            s.start("web").get(Await.LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(s.status().replicas().stream().allMatch(r -> r.state() == ReplicaState.RUNNING));
            assertThrows(IllegalArgumentException.class, () -> s.stop("nope"));
            Await.until("three requests reported", () -> recorder.of(OperatorRequest.class).size() == 3);
            assertEquals("api", recorder.of(OperatorRequest.class).getFirst().origin());
        }
    }
}

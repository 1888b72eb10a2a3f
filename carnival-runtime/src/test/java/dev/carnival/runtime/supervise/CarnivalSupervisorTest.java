package dev.carnival.runtime.supervise;

import dev.carnival.runtime.compose.Assembly;
import dev.carnival.runtime.compose.Plan;
import dev.carnival.runtime.process.Reaping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carnival.api.ReplicaState;
import dev.carnival.api.ReplicaStatus;
import dev.carnival.api.SupervisorStatus;
import dev.carnival.api.config.ConfigException;
import dev.carnival.api.event.LifecycleEvent;
import dev.carnival.api.event.LifecycleEvent.InitFailed;
import dev.carnival.api.event.LifecycleEvent.InitFinished;
import dev.carnival.api.event.LifecycleEvent.InitStarted;
import dev.carnival.api.event.LifecycleEvent.ProcessExited;
import dev.carnival.api.event.LifecycleEvent.ProcessStarted;
import dev.carnival.api.event.LifecycleEvent.ReplicaStopped;
import dev.carnival.api.event.LifecycleEvent.RestartScheduled;
import dev.carnival.api.event.LifecycleEvent.ShutdownRequested;
import dev.carnival.api.event.LifecycleEvent.StopReason;
import dev.carnival.api.event.LifecycleEvent.SupervisorStopped;
import dev.carnival.api.model.CarnivalConfig;
import dev.carnival.api.model.ExitStatus;
import dev.carnival.api.model.GlobalConfig;
import dev.carnival.api.model.InitCommand;
import dev.carnival.api.model.ReplicaId;
import dev.carnival.api.model.ServiceConfig;
import dev.carnival.runtime.config.BoundConfig;
import dev.carnival.runtime.config.SourceMap;
import dev.carnival.runtime.plugin.Plugin;
import dev.carnival.runtime.plugin.PluginException;
import dev.carnival.runtime.plugin.Plugins;
import dev.carnival.runtime.compose.ProcessControls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with real (tiny) processes through the portable process control. */
class CarnivalSupervisorTest {
    private final List<CarnivalSupervisor> started = new ArrayList<>();
    private final Recorder recorder = new Recorder();

    @TempDir
    Path dir;

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (CarnivalSupervisor s : started) {
            s.stop();
            s.await(Await.LONG);
        }
    }

    private static ServiceConfig.Builder sh(String name, String script) {
        return ServiceConfig.builder(name, "sh").args("-c", script).restartDelay(Duration.ZERO);
    }

    private CarnivalSupervisor assemble(CarnivalConfig config) throws ConfigException, PluginException {
        Plan plan = Plan.load(new BoundConfig(config, new SourceMap("test", Map.of())),
                Plugins.discover(List.of()).policies());
        return Assembly.of(plan, ProcessControls.open(Reaping.OWN_CHILDREN))
                .listeners(List.of(new Plugin<>("listener", "recorder", recorder, "test", "embedder"))).build();
    }

    private CarnivalSupervisor start(CarnivalConfig config) throws ConfigException, PluginException {
        CarnivalSupervisor s = assemble(config);
        started.add(s);
        s.start();
        return s;
    }

    /** Waits for the exit code, and checks that the last event says so. */
    private int exitCode(CarnivalSupervisor s) throws InterruptedException {
        Optional<Integer> code = s.await(Await.LONG);
        assertTrue(code.isPresent(), "supervisor did not stop within " + Await.LONG);
        Await.until("SupervisorStopped delivered", () -> recorder.has(SupervisorStopped.class));
        List<LifecycleEvent> events = recorder.events();
        assertEquals(new SupervisorStopped(events.getLast().at(), code.get()), events.getLast(),
                "the last event is SupervisorStopped with the exit code");
        assertEquals(1, recorder.of(SupervisorStopped.class).size());
        return code.get();
    }

    private List<ProcessStarted> startsOf(ReplicaId id) {
        return recorder.of(ProcessStarted.class).stream().filter(e -> e.replica().equals(id)).toList();
    }

    @Test
    void closingASupervisorThatNeverStartedReleasesItAndRunsNothing() throws Exception {
        CarnivalConfig config = CarnivalConfig.of(sh("never", "touch ran").build());
        CarnivalSupervisor s = assemble(config);
        s.close();
        assertEquals(0, exitCode(s));
        assertEquals(SupervisorStatus.Phase.STOPPED, s.status().phase());
        assertTrue(recorder.of(ProcessStarted.class).isEmpty());
        assertThrows(IllegalStateException.class, s::start, "a closed supervisor cannot start");
    }

    @Test
    void restartLimitCountsRunsPerReplica() throws Exception {
        CarnivalSupervisor s = start(CarnivalConfig.of(
                sh("web", "exit 0").replicas(2).restart("always").restartLimit(3).build()));
        assertEquals(0, exitCode(s));
        for (int i = 0; i < 2; i++) {
            ReplicaId id = new ReplicaId("web", i);
            assertEquals(List.of(0, 1, 2), startsOf(id).stream().map(ProcessStarted::restartCount).toList(), id.toString());
            List<ReplicaStopped> stops = recorder.of(ReplicaStopped.class).stream()
                    .filter(e -> e.replica().equals(id)).toList();
            assertEquals(1, stops.size());
            assertEquals(StopReason.RESTART_LIMIT, stops.getFirst().reason());
            assertEquals(List.of(1, 2), recorder.of(RestartScheduled.class).stream()
                    .filter(e -> e.replica().equals(id)).map(RestartScheduled::restartCount).toList());
        }
        assertEquals(6, recorder.of(ProcessStarted.class).size());
        assertEquals(6, recorder.of(ProcessExited.class).size());
        SupervisorStatus status = s.status();
        assertEquals(SupervisorStatus.Phase.STOPPED, status.phase());
        for (ReplicaStatus r : status.replicas()) {
            assertEquals(ReplicaState.STOPPED, r.state());
            assertEquals(2, r.restartCount());
            assertEquals(Optional.of(ExitStatus.exited(0)), r.lastExit());
        }
    }

    @Test
    void onFailureStopsAfterSuccess() throws Exception {
        // Fails on its first run, succeeds on its second.
        CarnivalSupervisor s = start(CarnivalConfig.of(
                sh("job", "if [ -e ran ]; then exit 0; fi; touch ran; exit 3").restart("on-failure").workingDir(dir).build()));
        assertEquals(0, exitCode(s));
        assertEquals(List.of(ExitStatus.exited(3), ExitStatus.exited(0)),
                recorder.of(ProcessExited.class).stream().map(ProcessExited::status).toList());
        ReplicaStopped stop = recorder.of(ReplicaStopped.class).getFirst();
        assertEquals(StopReason.POLICY, stop.reason());
        assertEquals("policy: on-failure", stop.detail());
        assertFalse(recorder.has(ShutdownRequested.class));
    }

    @Test
    void statusShowsARunningReplicaWithItsPidThenStopped() throws Exception {
        CarnivalSupervisor s = start(CarnivalConfig.of(ServiceConfig.builder("sleeper", "sleep").args("60").build()));
        Await.until("replica running", () -> s.status().replicas().getFirst().state() == ReplicaState.RUNNING);
        SupervisorStatus running = s.status();
        assertEquals(SupervisorStatus.Phase.RUNNING, running.phase());
        ReplicaStatus r = running.replicas().getFirst();
        assertEquals(new ReplicaId("sleeper", 0), r.replica());
        assertTrue(r.pid().isPresent());
        Await.until("ProcessStarted delivered", () -> recorder.has(ProcessStarted.class));
        assertEquals(r.pid().getAsLong(), recorder.of(ProcessStarted.class).getFirst().pid());
        assertTrue(ProcessHandle.of(r.pid().getAsLong()).map(ProcessHandle::isAlive).orElse(false));

        s.stop();
        assertEquals(0, exitCode(s));
        ReplicaStatus stopped = s.status().replicas().getFirst();
        assertEquals(SupervisorStatus.Phase.STOPPED, s.status().phase());
        assertEquals(ReplicaState.STOPPED, stopped.state());
        assertTrue(stopped.pid().isEmpty());
        assertTrue(stopped.lastExit().isPresent());
        assertFalse(ProcessHandle.of(r.pid().getAsLong()).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(StopReason.SHUTDOWN, recorder.of(ReplicaStopped.class).getFirst().reason());
        assertEquals("stop requested by the host program", recorder.of(ShutdownRequested.class).getFirst().cause());
    }

    @Test
    void stopDuringALongRestartDelayReturnsPromptly() throws Exception {
        CarnivalSupervisor s = start(CarnivalConfig.of(
                sh("flappy", "exit 1").restart("always").restartDelay(Duration.ofHours(1)).build()));
        Await.until("waiting to restart",
                () -> s.status().replicas().getFirst().state() == ReplicaState.BACKOFF);
        assertEquals(1, s.status().replicas().getFirst().restartCount());
        s.stop();
        s.stop(); // idempotent
        assertEquals(0, exitCode(s));
        assertEquals(1, recorder.of(ProcessStarted.class).size());
        assertEquals(1, recorder.of(ShutdownRequested.class).size());
        assertEquals(StopReason.SHUTDOWN, recorder.of(ReplicaStopped.class).getFirst().reason());
        assertEquals(Duration.ofHours(1), recorder.of(RestartScheduled.class).getFirst().delay());
    }

    @Test
    void initFailureExitsOneAndStartsNothing() throws Exception {
        CarnivalConfig config = new CarnivalConfig(GlobalConfig.DEFAULT,
                List.of(InitCommand.of("true"), InitCommand.of("sh", "-c", "exit 4"), InitCommand.of("true")),
                List.of(ServiceConfig.builder("web", "sleep").args("60").build()));
        CarnivalSupervisor s = start(config);
        assertEquals(1, exitCode(s));
        assertFalse(recorder.has(ProcessStarted.class));
        assertEquals(List.of(1, 2), recorder.of(InitStarted.class).stream().map(InitStarted::index).toList());
        assertEquals(List.of(1), recorder.of(InitFinished.class).stream().map(InitFinished::index).toList());
        InitFailed failed = recorder.of(InitFailed.class).getFirst();
        assertEquals(2, failed.index());
        assertEquals(List.of("sh", "-c", "exit 4"), failed.commandLine());
        assertEquals("exited with code 4", failed.reason());
    }

    @Test
    void initThatCannotStartFails() throws Exception {
        CarnivalConfig config = new CarnivalConfig(GlobalConfig.DEFAULT,
                List.of(InitCommand.of("/nonexistent/carnival-test-binary")), List.of());
        assertEquals(1, exitCode(start(config)));
        assertEquals(1, recorder.of(InitFailed.class).size());
    }

    @Test
    void initRunsBeforeServices() throws Exception {
        CarnivalConfig config = new CarnivalConfig(GlobalConfig.DEFAULT,
                List.of(new InitCommand("sh", List.of("-c", "touch made"), dir)),
                List.of(sh("check", "test -e made").workingDir(dir).build()));
        assertEquals(0, exitCode(start(config)));
        List<LifecycleEvent> events = recorder.events();
        int finished = indexOf(events, InitFinished.class);
        int firstStart = indexOf(events, ProcessStarted.class);
        assertTrue(finished >= 0 && finished < firstStart, events.toString());
        assertEquals(ExitStatus.exited(0), recorder.of(ProcessExited.class).getFirst().status());
    }

    private static int indexOf(List<LifecycleEvent> events, Class<?> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void criticalReplicaStoppingShutsEverythingDown() throws Exception {
        CarnivalSupervisor s = start(CarnivalConfig.of(
                ServiceConfig.builder("long", "sleep").args("60").build(),
                sh("crit", "exit 0").critical(true).build()));
        assertEquals(0, exitCode(s));
        assertEquals("critical service crit[0] stopped (exited with code 0)", recorder.of(ShutdownRequested.class).getFirst().cause());
        ReplicaStopped longStop = recorder.of(ReplicaStopped.class).stream()
                .filter(e -> e.replica().service().equals("long")).findFirst().orElseThrow();
        assertEquals(StopReason.SHUTDOWN, longStop.reason());
    }

    @Test
    void nonCriticalReplicaStoppingDoesNotShutDown() throws Exception {
        CarnivalSupervisor s = start(CarnivalConfig.of(
                ServiceConfig.builder("long", "sleep").args("60").build(),
                sh("oneshot", "exit 0").build()));
        Await.until("oneshot stopped and long running", () -> {
            List<ReplicaStatus> r = s.status().replicas();
            return r.get(0).state() == ReplicaState.RUNNING && r.get(1).state() == ReplicaState.STOPPED;
        });
        assertEquals(SupervisorStatus.Phase.RUNNING, s.status().phase());
        assertEquals(Optional.empty(), s.await(Duration.ZERO));
        s.stop();
        assertEquals(0, exitCode(s));
        // The only shutdown request is the host's.
        assertEquals(List.of("stop requested by the host program"),
                recorder.of(ShutdownRequested.class).stream().map(ShutdownRequested::cause).toList());
        // The replica that had stopped for good before the shutdown does not hold it up to the deadline.
        assertEquals(List.of(), recorder.of(LifecycleEvent.ShutdownTimedOut.class));
    }

    @Test
    void noServicesExitsZero() throws Exception {
        assertEquals(0, exitCode(start(CarnivalConfig.of())));
    }

    @Test
    void missingCommandIsAConfigErrorBeforeAnythingStarts() throws Exception {
        CarnivalSupervisor s = start(CarnivalConfig.of(ServiceConfig.builder("x", "carnival-no-such-command").build()));
        assertEquals(ExitPolicy.CONFIG, exitCode(s));
        assertFalse(recorder.has(ProcessStarted.class));
    }

    @Test
    void replicasSeeTheirCarnivalVariables() throws Exception {
        CarnivalSupervisor s = start(CarnivalConfig.of(sh("vars",
                "echo \"$CARNIVAL_SERVICE_NAME $CARNIVAL_REPLICA_ID $CARNIVAL_REPLICA_COUNT $CARNIVAL_RESTART_COUNT\""
                        + " >> out.$CARNIVAL_REPLICA_ID")
                .replicas(2).restart("always").restartLimit(2).workingDir(dir).build()));
        assertEquals(0, exitCode(s));
        assertEquals(List.of("vars 0 2 0", "vars 0 2 1"), lines(dir.resolve("out.0")));
        assertEquals(List.of("vars 1 2 0", "vars 1 2 1"), lines(dir.resolve("out.1")));
    }

    private static List<String> lines(Path p) throws IOException {
        return Files.readAllLines(p);
    }

    @Test
    void startTwiceIsAnError() throws Exception {
        CarnivalSupervisor s = start(CarnivalConfig.of());
        assertThrows(IllegalStateException.class, s::start);
        assertEquals(0, exitCode(s));
    }

    @Test
    void closeStopsAndWaits() throws Exception {
        CarnivalSupervisor s = start(CarnivalConfig.of(ServiceConfig.builder("sleeper", "sleep").args("60").build()));
        Await.until("replica running", () -> s.status().replicas().getFirst().state() == ReplicaState.RUNNING);
        s.close();
        assertEquals(Optional.of(0), s.await(Duration.ZERO));
        Await.until("SupervisorStopped delivered", () -> recorder.has(SupervisorStopped.class));
        assertInstanceOf(SupervisorStopped.class, recorder.events().getLast());
    }
}
